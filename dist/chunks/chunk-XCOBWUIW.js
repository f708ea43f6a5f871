import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
<<<<<<<< HEAD:dist/chunks/chunk-XCOBWUIW.js
import{l as s}from"./chunk-M4LHPUQ6.js";import{a as i}from"./chunk-MPTTFMD6.js";function a(n){return n.type==="Bot"||n.login.endsWith("[bot]")}async function g(n,r,t){let e=await n.getPermission(r.login);return s(e,t)?null:`@${r.login} needs ${t} permission on this repository to do that (has ${e}).`}async function l(n,r,t,e){let o=i("reply",t);await n.upsertComment(r,o,`${o}
========
import{l as s}from"./chunk-C3PAEXMT.js";import{a as i}from"./chunk-2EV25OQ3.js";function a(n){return n.type==="Bot"||n.login.endsWith("[bot]")}async function g(n,r,t){let e=await n.getPermission(r.login);return s(e,t)?null:`@${r.login} needs ${t} permission on this repository to do that (has ${e}).`}async function l(n,r,t,e){let o=i("reply",t);await n.upsertComment(r,o,`${o}
>>>>>>>> main:dist/chunks/chunk-HOTVOZFN.js
${e}`)}export{a,g as b,l as c};
