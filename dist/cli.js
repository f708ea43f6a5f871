#!/usr/bin/env node
import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
<<<<<<< HEAD
import{b as n,d as i}from"./chunks/chunk-GIZL4ST6.js";import"./chunks/chunk-3IDIXRC3.js";import"./chunks/chunk-EJECTT3C.js";var[a,c,...t]=process.argv.slice(2);if(a==="policy"&&c==="hook"&&!t.includes("--help")&&!t.includes("-h"))await d(t);else{let{run:e}=await import("./chunks/main-VDHVNVXH.js");process.exitCode=await e(process.argv)}async function d(e){try{let r=new URL("./policy-hook.js",import.meta.url).href,o;try{o=await import(r)}catch{o=void 0}if(o)return await o.runBundledHook(e);let{runHookMain:s}=await import("./chunks/hook-main-FXI2K4SO.js");return await s(e)}catch(r){let o=r instanceof Error?r.message:String(r);process.stdout.write(`${i(n(e),o)}
=======
import{b as n,d as i}from"./chunks/chunk-GIZL4ST6.js";import"./chunks/chunk-3IDIXRC3.js";import"./chunks/chunk-EJECTT3C.js";var[a,c,...t]=process.argv.slice(2);if(a==="policy"&&c==="hook"&&!t.includes("--help")&&!t.includes("-h"))await d(t);else{let{run:e}=await import("./chunks/main-JCP4GICE.js");process.exitCode=await e(process.argv)}async function d(e){try{let r=new URL("./policy-hook.js",import.meta.url).href,o;try{o=await import(r)}catch{o=void 0}if(o)return await o.runBundledHook(e);let{runHookMain:s}=await import("./chunks/hook-main-FXI2K4SO.js");return await s(e)}catch(r){let o=r instanceof Error?r.message:String(r);process.stdout.write(`${i(n(e),o)}
>>>>>>> main
`),process.exitCode=0}}
