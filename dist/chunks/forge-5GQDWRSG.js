import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
<<<<<<<< HEAD:dist/chunks/forge-6LZMWEH7.js
import{a,b}from"./chunk-NRDAO34O.js";import"./chunk-TBVHJT4S.js";import"./chunk-EJECTT3C.js";export{a as addForgeOptions,b as openForge};
========
import{a,b}from"./chunk-F5VLUUYA.js";import"./chunk-TBVHJT4S.js";import"./chunk-EJECTT3C.js";export{a as addForgeOptions,b as openForge};
>>>>>>>> main:dist/chunks/forge-5GQDWRSG.js
