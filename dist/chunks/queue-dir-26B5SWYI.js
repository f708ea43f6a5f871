import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-CETDPS2O.js";import"./chunk-EJECTT3C.js";export{a as DEFAULT_QUEUE_DIR,b as LEGACY_QUEUE_DIR,e as displayPath,d as queuePaths,c as resolveQueueDir};
