import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b}from"./chunk-5CUWZSPY.js";import"./chunk-EJECTT3C.js";export{a as SCHEMA_KINDS,b as jsonSchemaOf};
