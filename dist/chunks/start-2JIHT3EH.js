import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-X3MUWBB2.js";import"./chunk-RT2VYWMD.js";import"./chunk-AO6QFP6L.js";import"./chunk-UUWDMYAV.js";import"./chunk-EJECTT3C.js";export{a as agentInputs,c as startRun,b as statusOf};
