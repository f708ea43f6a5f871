import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-GRBHY3BW.js";import"./chunk-MZFFKWSR.js";import"./chunk-UUWDMYAV.js";import"./chunk-EJECTT3C.js";export{a as agentInputs,c as startRun,b as statusOf};
