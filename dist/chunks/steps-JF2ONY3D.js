import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-FOBTB63O.js";import"./chunk-AAG4CTV7.js";import"./chunk-UUWDMYAV.js";import"./chunk-EJECTT3C.js";export{a as OnFailureSchema,b as StepSchema,c as StepsRegistrySchema};
