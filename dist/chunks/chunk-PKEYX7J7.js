import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a as u}from"./chunk-F6PHIX7C.js";function i(t){return`<!-- handoff:evidence issue=${t} -->`}async function b(t,e){let{pullRequest:r,created:o}=await u(t,{head:e.branch,base:e.base,title:e.title,body:`${e.summary.trim()}

Closes #${e.issue}
`,...e.draft?{draft:!0}:{}}),n=[...new Set(e.reviewers??[])].filter(s=>s&&!s.endsWith("[bot]")&&s!==r.author.login);return n.length&&await t.requestReviewers(r.number,n),e.labels?.length&&await t.addLabels(r.number,e.labels),{pr:r,created:o}}async function c(t,e,r,o){let n=i(e),s=`${n}
${r}`,{comment:m}=await t.upsertComment(e,n,s);if(o===void 0)return{issueComment:m};let{comment:a}=await t.upsertComment(o,n,s);return{issueComment:m,prComment:a}}export{i as a,b,c};
