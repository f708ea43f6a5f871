import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-WWRXWIVJ.js";import"./chunk-EJECTT3C.js";export{a as SANDBOX_HOME,e as SandboxUnavailable,f as bwrapArgs,g as gitMetadata,b as probeSandbox,c as resetSandboxProbe,d as sandboxed};
