import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a}from"./chunk-T5UEFL2M.js";import"./chunk-JPGFI3T4.js";import"./chunk-NODJN5XW.js";import"./chunk-LDANDVUZ.js";import"./chunk-EJECTT3C.js";export{a as parseParameters};
