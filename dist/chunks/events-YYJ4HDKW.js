import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a as M}from"./chunk-KSLSJLK6.js";import"./chunk-WP44LZVN.js";import{c as k}from"./chunk-MEJ4RUDE.js";import{k as T}from"./chunk-CPZ4BR6V.js";import"./chunk-CETDPS2O.js";import{c as b,e as E}from"./chunk-4HPKFBSJ.js";import{a as j,d as q}from"./chunk-GHYNBMBM.js";import{n as _}from"./chunk-A6QAY3GC.js";import"./chunk-PJ5IP46A.js";import"./chunk-Y56BGUYG.js";import{a as H,b as L}from"./chunk-K7BZT7ND.js";import{a as R}from"./chunk-422C2PHE.js";import"./chunk-PRZUOOGA.js";import"./chunk-6JR7LDZG.js";import"./chunk-BNJHJFWK.js";import"./chunk-3FPTKAPJ.js";import{a as O}from"./chunk-AO6QFP6L.js";import{l as F}from"./chunk-UFXVCZY7.js";import"./chunk-2EV25OQ3.js";import{e as x}from"./chunk-4NOM7RXM.js";import{d as f}from"./chunk-LDANDVUZ.js";import"./chunk-UUWDMYAV.js";import"./chunk-EJECTT3C.js";function y(e){return`<!-- handoff:complete comment=${e} -->`}function C(e){return H(e.comment.body)?R(e.sender)?`${e.sender.login} is a bot`:e.issue.isPullRequest?"a pull request, not an LLM-task issue":b(e.issue.body)?null:`#${e.issue.number} is not an LLM-task issue`:"not a /complete comment"}async function B(e,s,n,a={}){let i=C(n);if(i)return{kind:"ignored",reason:i};let c=L(n.comment.body),o=b(n.issue.body),g=y(n.comment.id);if((await e.listComments(n.issue.number)).some(t=>t.body.includes(g)))return{kind:"duplicate"};let m=s.llm_tasks,l=j(m),p=async(t,r=[])=>{let h=r.length?`

${r.map(I=>`- \`${I}\``).join(`
`)}`:"";return await e.createComment(n.issue.number,`${g}
@${n.sender.login} ${t}${h}

Nothing was written; this issue stays open.`),{kind:"refused",id:o,reason:t,problems:r}},$=await e.getPermission(n.sender.login);if(!F($,s.permission))return p(`your permission on this repository is \`${$}\`; completing an LLM task needs \`${s.permission}\` or higher (config \`permission\` in .github/handoff.yml).`);if(n.issue.state!=="open")return p("this issue is closed, so its task is not open to answers.");let[w,u]=await Promise.all([e.readFile(l.resultFile(o),m.branch),q(e,m,o).catch(t=>{if(t instanceof f)return t;throw t})]);if(w){let t=`${m.branch}:${l.resultFile(o)}`,r=_(x(w.content,t),t),h=r.completed_by?` by ${r.completed_by}`:"";return p(`\`${o}\` is already completed${h} at ${r.completed_at}; the first result is kept (\`${t}\`).`)}if(u instanceof f)return p(`the pending file is invalid: ${u.message}`,[...u.problems]);if(!u)return p(`there is no pending file \`${l.pendingFile(o)}\` on branch \`${m.branch}\` (run \`handoff queue push\` where the pipeline ran).`);let d;try{d=M(u,{content:c.content,agent:n.sender.login,now:a.now},`answer to ${o}`)}catch(t){if(!(t instanceof f))throw t;let r=t.problems.length?[...t.problems]:[t.message];return p(`the answer (${c.source}) does not satisfy the task's response format (${u.response_format?.type??"text"}):`,r)}await e.commitFile({branch:m.branch,path:l.resultFile(o),content:k(d),message:`Complete LLM task ${o}

Answered by @${n.sender.login} in #${n.issue.number}.`});let P=await J(e,s),A=P?`Workflow \`${s.llm_tasks.rerun.workflow}\` was dispatched to rerun the pipeline.`:"Rerun the pipeline where it stopped after `handoff queue pull`; it picks the result up and goes on.";return await O(e,[{kind:"react",commentId:n.comment.id,content:"rocket"},{kind:"comment",issue:n.issue.number,body:`${g}
Thanks @${n.sender.login}: the answer to \`${o}\` is committed to \`${l.resultFile(o)}\` on branch \`${m.branch}\`.

${A}

<details><summary>result</summary>

${E(k(d),"json")}

</details>`},{kind:"close",issue:n.issue.number}]),{kind:"completed",id:o,result:d,path:l.resultFile(o),dispatched:P}}async function J(e,s){let n=s.llm_tasks.rerun;return n?(await e.dispatchWorkflow({workflow:n.workflow,ref:n.ref??await e.defaultBranch(),inputs:{...n.inputs}}),!0):!1}function N(e){return"problems"in e&&"message"in e}function S(e,s){let n=e.problems.map(a=>`- \`${a}\``).join(`
`);return`${s}
Handoff did nothing: ${e.message}.`+(n?`

${n}`:"")+`

Fix ${T} (\`handoff schema config\` prints its JSON Schema; docs/github-app.md lists every key).`}async function oe(e,s,n){let a=C(n);if(a)return{kind:"ignored",reason:a};let i=await s();if(N(i)){let c=y(n.comment.id);return await e.upsertComment(n.issue.number,c,S(i,c)),{kind:"invalid-config",problem:i}}return B(e,i,n)}export{N as isConfigProblem,oe as onCommentCreated,S as renderConfigProblem};
