import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
import{a as l,c as p}from"./chunk-F6E5HVN4.js";import{a as g}from"./chunk-PKEYX7J7.js";import"./chunk-F6PHIX7C.js";import{a as d,b as u}from"./chunk-AAZA46R4.js";import{a as m}from"./chunk-IBWJ3NOM.js";import"./chunk-XFTQIECA.js";import{a as f}from"./chunk-CDJCTKSL.js";import"./chunk-3FPTKAPJ.js";import{b as a,f as t}from"./chunk-4GSAH4ST.js";import"./chunk-F4GKLPVQ.js";import"./chunk-AO6QFP6L.js";import"./chunk-UULJDOUY.js";import"./chunk-2EV25OQ3.js";import"./chunk-4NOM7RXM.js";import"./chunk-LDANDVUZ.js";import"./chunk-UUWDMYAV.js";import"./chunk-EJECTT3C.js";var h={cancelled:"\u23F9\uFE0F cancelled: the job was cancelled or timed out before the run could report",failure:"\u{1F4A5} failed: the action stopped before the run could report"};async function S(o=process.env){let r=d(o),e=m(r.stateFile);if(!e||e.stage!=="started"||e.issue===void 0){t("handoff: nothing to finalise");return}let n=o.HANDOFF_MAIN_OUTCOME||"cancelled",$=h[n]??h.cancelled,s=u(o,"github-token")||o.GITHUB_TOKEN||"",c=l(s);for(let N of c)a(N);let k=await p(r,s),i=g(e.issue),w=e.runUrl?`

See the [workflow run](${e.runUrl}) for its log and evidence.`:"",b=new f({secrets:c}).redact(`${i}
### Handoff run: ${$}

Agent \`${e.agent??"?"}\` on #${e.issue}.${w}
`);await k.upsertComment(e.issue,i,b),t(`handoff: status comment on #${e.issue} set to ${n}`)}export{S as default};
