import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b}from"./chunk-X3GXIVHE.js";import"./chunk-EJECTT3C.js";export{a as SCHEMA_KINDS,b as jsonSchemaOf};
