import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,c as b}from"./chunk-UOGPV5ZG.js";import"./chunk-UBWT4LJK.js";import"./chunk-LDANDVUZ.js";import"./chunk-EJECTT3C.js";export{b as Git,a as GitCommandError};
