import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-N3CXSUKV.js";import"./chunk-EJECTT3C.js";export{a as printJson,b as printLine,c as progress};
