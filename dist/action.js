import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
<<<<<<< HEAD
import{d as i}from"./chunks/chunk-4GSAH4ST.js";import{c as t}from"./chunks/chunk-LDANDVUZ.js";import"./chunks/chunk-EJECTT3C.js";var n={plan:()=>import("./chunks/plan-WWB2R3HD.js"),main:()=>import("./chunks/modes-WCMVVI47.js"),post:()=>import("./chunks/post-VHLSREFQ.js")};async function a(o=process.argv[2]??"main"){try{let r=n[o];if(!r)throw new t(`unknown phase ${JSON.stringify(o)}: use plan, main or post`);await(await r()).default()}catch(r){i(r instanceof Error?r.message:String(r))}}await a();
=======
import{d as i}from"./chunks/chunk-4GSAH4ST.js";import{c as t}from"./chunks/chunk-LDANDVUZ.js";import"./chunks/chunk-EJECTT3C.js";var n={plan:()=>import("./chunks/plan-JPLXBSJU.js"),main:()=>import("./chunks/modes-HNRS7A2X.js"),post:()=>import("./chunks/post-DIJOUC33.js")};async function a(o=process.argv[2]??"main"){try{let r=n[o];if(!r)throw new t(`unknown phase ${JSON.stringify(o)}: use plan, main or post`);await(await r()).default()}catch(r){i(r instanceof Error?r.message:String(r))}}await a();
>>>>>>> main
