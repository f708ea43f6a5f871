import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
<<<<<<< HEAD
import{d as i}from"./chunks/chunk-4GSAH4ST.js";import{c as t}from"./chunks/chunk-LDANDVUZ.js";import"./chunks/chunk-EJECTT3C.js";var n={plan:()=>import("./chunks/plan-4265MWOZ.js"),main:()=>import("./chunks/modes-42AXDWH4.js"),post:()=>import("./chunks/post-WHFO2UKN.js")};async function a(o=process.argv[2]??"main"){try{let r=n[o];if(!r)throw new t(`unknown phase ${JSON.stringify(o)}: use plan, main or post`);await(await r()).default()}catch(r){i(r instanceof Error?r.message:String(r))}}await a();
=======
import{d as i}from"./chunks/chunk-4GSAH4ST.js";import{c as t}from"./chunks/chunk-LDANDVUZ.js";import"./chunks/chunk-EJECTT3C.js";var n={plan:()=>import("./chunks/plan-WEFBX22K.js"),main:()=>import("./chunks/modes-FQV3KKKA.js"),post:()=>import("./chunks/post-AX3Y53XM.js")};async function a(o=process.argv[2]??"main"){try{let r=n[o];if(!r)throw new t(`unknown phase ${JSON.stringify(o)}: use plan, main or post`);await(await r()).default()}catch(r){i(r instanceof Error?r.message:String(r))}}await a();
>>>>>>> main
