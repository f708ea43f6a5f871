import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a}from"./chunk-PRZUOOGA.js";import"./chunk-EJECTT3C.js";export{a as shellQuote};
