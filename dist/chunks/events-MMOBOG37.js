import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a as M}from"./chunk-KSLSJLK6.js";import"./chunk-WP44LZVN.js";import{c as C}from"./chunk-MEJ4RUDE.js";import{k as O}from"./chunk-643K36GA.js";import"./chunk-CETDPS2O.js";import{c as b,e as L}from"./chunk-4HPKFBSJ.js";import{a as j,d as H}from"./chunk-I3JS4PEX.js";import{n as R}from"./chunk-A6QAY3GC.js";import"./chunk-PJ5IP46A.js";import"./chunk-Y56BGUYG.js";import"./chunk-PRZUOOGA.js";import"./chunk-6JR7LDZG.js";import"./chunk-BNJHJFWK.js";import"./chunk-3FPTKAPJ.js";import{l as F}from"./chunk-C3PAEXMT.js";import{e as P}from"./chunk-4NOM7RXM.js";import{d as g}from"./chunk-LDANDVUZ.js";import"./chunk-UUWDMYAV.js";import"./chunk-EJECTT3C.js";var T=/^\s*\/complete(?=\s|$)/;function _(e){return T.test(e)}function E(e){let t=e.replace(/\r\n?/g,`
`),n=T.exec(t);if(!n)return null;let i=t.slice(n[0].length),r=N(i);return r!==null?{content:r,source:"fenced block"}:{content:i.trim(),source:"comment text"}}function N(e){let t=e.split(`
`);for(let n=0;n<t.length;n++){let i=/^ {0,3}(`{3,}|~{3,})(.*)$/.exec(t[n]);if(!i)continue;let r=i[1];if(r[0]==="`"&&i[2].includes("`"))continue;let l=new RegExp(`^ {0,3}${r[0]==="`"?"`":"~"}{${r.length},}\\s*$`),s=[];for(let a=n+1;a<t.length;a++){if(l.test(t[a]))return s.join(`
`);s.push(t[a])}return s.join(`
`)}return null}function y(e){return`<!-- handoff:complete comment=${e} -->`}function A(e){return e.type==="Bot"||e.login.endsWith("[bot]")}function k(e){return _(e.comment.body)?A(e.sender)?`${e.sender.login} is a bot`:e.issue.isPullRequest?"a pull request, not an LLM-task issue":b(e.issue.body)?null:`#${e.issue.number} is not an LLM-task issue`:"not a /complete comment"}async function q(e,t,n,i={}){let r=k(n);if(r)return{kind:"ignored",reason:r};let l=E(n.comment.body),s=b(n.issue.body),a=y(n.comment.id);if((await e.listComments(n.issue.number)).some(o=>o.body.includes(a)))return{kind:"duplicate"};let c=t.llm_tasks,u=j(c),p=async(o,m=[])=>{let h=m.length?`

${m.map(I=>`- \`${I}\``).join(`
`)}`:"";return await e.createComment(n.issue.number,`${a}
@${n.sender.login} ${o}${h}

Nothing was written; this issue stays open.`),{kind:"refused",id:s,reason:o,problems:m}},$=await e.getPermission(n.sender.login);if(!F($,t.permission))return p(`your permission on this repository is \`${$}\`; completing an LLM task needs \`${t.permission}\` or higher (config \`permission\` in .github/handoff.yml).`);if(n.issue.state!=="open")return p("this issue is closed, so its task is not open to answers.");let[w,d]=await Promise.all([e.readFile(u.resultFile(s),c.branch),H(e,c,s).catch(o=>{if(o instanceof g)return o;throw o})]);if(w){let o=`${c.branch}:${u.resultFile(s)}`,m=R(P(w.content,o),o),h=m.completed_by?` by ${m.completed_by}`:"";return p(`\`${s}\` is already completed${h} at ${m.completed_at}; the first result is kept (\`${o}\`).`)}if(d instanceof g)return p(`the pending file is invalid: ${d.message}`,[...d.problems]);if(!d)return p(`there is no pending file \`${u.pendingFile(s)}\` on branch \`${c.branch}\` (run \`handoff queue push\` where the pipeline ran).`);let f;try{f=M(d,{content:l.content,agent:n.sender.login,now:i.now},`answer to ${s}`)}catch(o){if(!(o instanceof g))throw o;let m=o.problems.length?[...o.problems]:[o.message];return p(`the answer (${l.source}) does not satisfy the task's response format (${d.response_format?.type??"text"}):`,m)}await e.commitFile({branch:c.branch,path:u.resultFile(s),content:C(f),message:`Complete LLM task ${s}

Answered by @${n.sender.login} in #${n.issue.number}.`});let x=await J(e,t),B=x?`Workflow \`${t.llm_tasks.rerun.workflow}\` was dispatched to rerun the pipeline.`:"Rerun the pipeline where it stopped after `handoff queue pull`; it picks the result up and goes on.";return await Promise.all([e.addReaction({commentId:n.comment.id},"rocket"),e.createComment(n.issue.number,`${a}
Thanks @${n.sender.login}: the answer to \`${s}\` is committed to \`${u.resultFile(s)}\` on branch \`${c.branch}\`.

${B}

<details><summary>result</summary>

${L(C(f),"json")}

</details>`),e.closeIssue(n.issue.number)]),{kind:"completed",id:s,result:f,path:u.resultFile(s),dispatched:x}}async function J(e,t){let n=t.llm_tasks.rerun;return n?(await e.dispatchWorkflow({workflow:n.workflow,ref:n.ref??await e.defaultBranch(),inputs:{...n.inputs}}),!0):!1}function W(e){return"problems"in e&&"message"in e}function D(e,t){let n=e.problems.map(i=>`- \`${i}\``).join(`
`);return`${t}
Handoff did nothing: ${e.message}.`+(n?`

${n}`:"")+`

Fix ${O} (\`handoff schema config\` prints its JSON Schema; docs/github-app.md lists every key).`}async function oe(e,t,n){let i=k(n);if(i)return{kind:"ignored",reason:i};let r=await t();if(W(r)){let l=y(n.comment.id);return await e.upsertComment(n.issue.number,l,D(r,l)),{kind:"invalid-config",problem:r}}return q(e,r,n)}export{W as isConfigProblem,oe as onCommentCreated,D as renderConfigProblem};
