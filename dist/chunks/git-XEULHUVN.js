import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b}from"./chunk-S2KM5Y4Z.js";import"./chunk-UBWT4LJK.js";import"./chunk-LDANDVUZ.js";import"./chunk-EJECTT3C.js";export{b as Git,a as GitCommandError};
