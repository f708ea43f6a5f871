import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a}from"./chunk-K7QTLHVL.js";import"./chunk-BF6H7UMG.js";import"./chunk-TBVHJT4S.js";import"./chunk-NODJN5XW.js";import"./chunk-LDANDVUZ.js";import"./chunk-EJECTT3C.js";export{a as parseParameters};
