import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{l as s}from"./chunk-UFXVCZY7.js";import{a as i}from"./chunk-2EV25OQ3.js";function a(n){return n.type==="Bot"||n.login.endsWith("[bot]")}async function g(n,r,t){let e=await n.getPermission(r.login);return s(e,t)?null:`@${r.login} needs ${t} permission on this repository to do that (has ${e}).`}async function l(n,r,t,e){let o=i("reply",t);await n.upsertComment(r,o,`${o}
${e}`)}export{a,g as b,l as c};
