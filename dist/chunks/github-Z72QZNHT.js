import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
<<<<<<<< HEAD:dist/chunks/github-Z72QZNHT.js
import{a,b,c,d,e}from"./chunk-HZXF5IIK.js";import"./chunk-AO6QFP6L.js";import"./chunk-UFXVCZY7.js";import"./chunk-2EV25OQ3.js";import"./chunk-4NOM7RXM.js";import"./chunk-LDANDVUZ.js";import"./chunk-UUWDMYAV.js";import"./chunk-EJECTT3C.js";export{a as GitHubForge,d as apiUrlFromEnv,b as createOctokit,e as githubForgeFromEnv,c as parseRepository};
========
import{a,b,c,d,e}from"./chunk-62CDULVN.js";import"./chunk-AO6QFP6L.js";import"./chunk-UFXVCZY7.js";import"./chunk-2EV25OQ3.js";import"./chunk-4NOM7RXM.js";import"./chunk-LDANDVUZ.js";import"./chunk-UUWDMYAV.js";import"./chunk-EJECTT3C.js";export{a as GitHubForge,d as apiUrlFromEnv,b as createOctokit,e as githubForgeFromEnv,c as parseRepository};
>>>>>>>> main:dist/chunks/github-Z2CHFLXJ.js
