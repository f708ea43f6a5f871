import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
var o={name:"Handoff",email:"handoff@users.noreply.github.com"};async function a(t,e){if(e)return e;let[n,i]=await Promise.all([t.configGet("user.name"),t.configGet("user.email")]);return n&&i?{name:n,email:i}:o}export{a};
