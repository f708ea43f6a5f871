import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
async function o(t,e){let r=await t.findPullRequest({head:e.head,base:e.base});return r?r.title===e.title&&r.body===e.body?{pullRequest:r,created:!1}:{pullRequest:await t.updatePullRequest(r.number,{title:e.title,body:e.body}),created:!1}:{pullRequest:await t.createPullRequest(e),created:!0}}function i(t){return`<!-- handoff:evidence issue=${t} -->`}async function d(t,e){let{pullRequest:r,created:u}=await o(t,{head:e.branch,base:e.base,title:e.title,body:`${e.summary.trim()}

Closes #${e.issue}
`,...e.draft?{draft:!0}:{}}),s=[...new Set(e.reviewers??[])].filter(n=>n&&!n.endsWith("[bot]")&&n!==r.author.login);return s.length&&await t.requestReviewers(r.number,s),e.labels?.length&&await t.addLabels(r.number,e.labels),{pr:r,created:u}}async function c(t,e,r,u){let s=i(e),n=`${s}
${r}`,{comment:l}=await t.upsertComment(e,s,n);if(u===void 0)return{issueComment:l};let{comment:a}=await t.upsertComment(u,s,n);return{issueComment:l,prComment:a}}export{i as a,d as b,c};
