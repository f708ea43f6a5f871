import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-SZXU55NX.js";import"./chunk-EJECTT3C.js";export{a as SANDBOX_HOME,f as SandboxUnavailable,g as bwrapArgs,h as gitMetadata,b as probeSandbox,c as resetSandboxProbe,d as sandboxed,e as vendorSandbox};
