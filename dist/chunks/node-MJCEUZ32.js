import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-2TDMBMB3.js";import"./chunk-EJECTT3C.js";export{a as child_process,b as crypto,c as fs,d as os,e as path,f as stream,g as util};
