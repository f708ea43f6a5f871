import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
<<<<<<< HEAD
import{d as i}from"./chunks/chunk-4GSAH4ST.js";import{c as t}from"./chunks/chunk-LDANDVUZ.js";import"./chunks/chunk-EJECTT3C.js";var n={plan:()=>import("./chunks/plan-YNRKQXSD.js"),main:()=>import("./chunks/modes-B7BNSJTG.js"),post:()=>import("./chunks/post-6D5HEEMG.js")};async function a(o=process.argv[2]??"main"){try{let r=n[o];if(!r)throw new t(`unknown phase ${JSON.stringify(o)}: use plan, main or post`);await(await r()).default()}catch(r){i(r instanceof Error?r.message:String(r))}}await a();
=======
import{d as i}from"./chunks/chunk-4GSAH4ST.js";import{c as t}from"./chunks/chunk-LDANDVUZ.js";import"./chunks/chunk-EJECTT3C.js";var n={plan:()=>import("./chunks/plan-EDAIL5W3.js"),main:()=>import("./chunks/modes-ITMOFJ5K.js"),post:()=>import("./chunks/post-4OPHSJ2V.js")};async function a(o=process.argv[2]??"main"){try{let r=n[o];if(!r)throw new t(`unknown phase ${JSON.stringify(o)}: use plan, main or post`);await(await r()).default()}catch(r){i(r instanceof Error?r.message:String(r))}}await a();
>>>>>>> main
