import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a as e,c as n}from"./chunk-4GSAH4ST.js";function s(t){for(let[i,r]of Object.entries(t))r!==void 0&&r!==""&&n(i,String(r))}async function u(t){process.env.GITHUB_STEP_SUMMARY&&await e.addRaw(t,!0).write()}export{s as a,u as b};
