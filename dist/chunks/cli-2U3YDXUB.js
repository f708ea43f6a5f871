import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{b as e}from"./chunk-CDJCTKSL.js";import"./chunk-EJECTT3C.js";import{pipeline as n}from"node:stream/promises";async function a(t){let o=e(t);for(let r of o.missing)process.stderr.write(`handoff: warning: --secret-env ${r}: variable is unset or empty
`);try{await n(process.stdin,o.stream(),process.stdout)}catch(r){if(r.code==="EPIPE")return;throw r}}export{a as redactStdio};
