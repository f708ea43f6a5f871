#!/usr/bin/env node
import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{c as t}from"./chunks/chunk-3IDIXRC3.js";import"./chunks/chunk-EJECTT3C.js";var[s,a,...i]=process.argv.slice(2);if(s==="policy"&&a==="hook"&&!i.includes("--help")&&!i.includes("-h"))await c(i);else{let{run:e}=await import("./chunks/main-U4ASBEYW.js");process.exitCode=await e(process.argv)}async function c(e){try{let o=new URL("./policy-hook.js",import.meta.url).href,r;try{r=await import(o)}catch{r=void 0}if(r)return await r.runBundledHook(e);let{runHookMain:n}=await import("./chunks/hook-main-PDO2ZKB2.js");return await n(e)}catch(o){process.stdout.write(`${t(o instanceof Error?o.message:String(o))}
`),process.exitCode=0}}
