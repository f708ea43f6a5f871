import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b}from"./chunk-P2D2TRZD.js";import"./chunk-4366SYOL.js";import"./chunk-W2GHHC2A.js";import"./chunk-EJECTT3C.js";export{b as Git,a as GitCommandError};
