import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b}from"./chunk-Y56BGUYG.js";import"./chunk-PRZUOOGA.js";import"./chunk-EJECTT3C.js";export{b as renderPrompt,a as rerunCommand};
