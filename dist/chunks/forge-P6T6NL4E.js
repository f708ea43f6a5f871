import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b}from"./chunk-2ICKQ26C.js";import"./chunk-TBVHJT4S.js";import"./chunk-EJECTT3C.js";export{a as addForgeOptions,b as openForge};
