import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b}from"./chunk-YE7424ZQ.js";import"./chunk-FNTWSGH2.js";import"./chunk-EJECTT3C.js";export{b as renderPrompt,a as rerunCommand};
