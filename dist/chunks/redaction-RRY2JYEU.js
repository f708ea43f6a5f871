import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-4366SYOL.js";import"./chunk-EJECTT3C.js";export{a as MASK,c as MIN_SECRET_LENGTH,b as RedactStream,d as Redactor,e as redactorFromEnv};
