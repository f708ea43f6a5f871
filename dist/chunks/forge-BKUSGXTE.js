import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
<<<<<<<< HEAD:dist/chunks/forge-BKUSGXTE.js
import{a,b}from"./chunk-BMTBDEFR.js";import"./chunk-TBVHJT4S.js";import"./chunk-EJECTT3C.js";export{a as addForgeOptions,b as openForge};
========
import{a,b}from"./chunk-FS6LUT47.js";import"./chunk-TBVHJT4S.js";import"./chunk-EJECTT3C.js";export{a as addForgeOptions,b as openForge};
>>>>>>>> main:dist/chunks/forge-GERJQ2LA.js
