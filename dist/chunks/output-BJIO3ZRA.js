import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-BZXK2KLL.js";import"./chunk-EJECTT3C.js";export{a as printJson,b as printLine,c as progress,d as withProblems};
