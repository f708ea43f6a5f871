import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
<<<<<<<< HEAD:dist/chunks/github-HQU3JQ6R.js
import{a,b,c,d,e}from"./chunk-IT4W6T5E.js";import"./chunk-M4LHPUQ6.js";import"./chunk-MPTTFMD6.js";import"./chunk-4NOM7RXM.js";import"./chunk-LDANDVUZ.js";import"./chunk-UUWDMYAV.js";import"./chunk-EJECTT3C.js";export{a as GitHubForge,d as apiUrlFromEnv,b as createOctokit,e as githubForgeFromEnv,c as parseRepository};
========
import{a,b,c,d,e}from"./chunk-3QQ3RI3L.js";import"./chunk-57JCSC7V.js";import"./chunk-MPTTFMD6.js";import"./chunk-4NOM7RXM.js";import"./chunk-LDANDVUZ.js";import"./chunk-UUWDMYAV.js";import"./chunk-EJECTT3C.js";export{a as GitHubForge,d as apiUrlFromEnv,b as createOctokit,e as githubForgeFromEnv,c as parseRepository};
>>>>>>>> main:dist/chunks/github-INLGMKE2.js
