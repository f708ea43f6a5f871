import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a as t,c as n}from"./chunk-4GSAH4ST.js";function u(e){for(let[s,r]of Object.entries(e))r!==void 0&&r!==""&&n(s,String(r))}async function o(e){process.env.GITHUB_STEP_SUMMARY&&await t.addRaw(e,!0).write()}export{u as a,o as b};
