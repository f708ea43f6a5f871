import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
<<<<<<<< HEAD:dist/chunks/github-UPOQ724H.js
import{a,b,c,d,e}from"./chunk-4BBVGEIX.js";import"./chunk-M4LHPUQ6.js";import"./chunk-MPTTFMD6.js";import"./chunk-4NOM7RXM.js";import"./chunk-LDANDVUZ.js";import"./chunk-UUWDMYAV.js";import"./chunk-EJECTT3C.js";export{a as GitHubForge,d as apiUrlFromEnv,b as createOctokit,e as githubForgeFromEnv,c as parseRepository};
========
import{a,b,c,d,e}from"./chunk-CJUSGYRX.js";import"./chunk-C3PAEXMT.js";import"./chunk-2EV25OQ3.js";import"./chunk-4NOM7RXM.js";import"./chunk-LDANDVUZ.js";import"./chunk-UUWDMYAV.js";import"./chunk-EJECTT3C.js";export{a as GitHubForge,d as apiUrlFromEnv,b as createOctokit,e as githubForgeFromEnv,c as parseRepository};
>>>>>>>> main:dist/chunks/github-37UFWGLL.js
