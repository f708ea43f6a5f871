import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b}from"./chunk-EFE3GGRX.js";import"./chunk-TBVHJT4S.js";import"./chunk-EJECTT3C.js";export{a as addForgeOptions,b as openForge};
