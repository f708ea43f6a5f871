import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-6PBEEIA6.js";import"./chunk-EJECTT3C.js";export{c as renderPrompt,b as rerunCommand,a as shellQuote};
