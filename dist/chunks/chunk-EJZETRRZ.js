import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
var o=["prompt_file","worktree","issue"];function s(t,r){return t.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g,(n,e)=>Object.hasOwn(r,e)?String(r[e]):n)}export{o as a,s as b};
