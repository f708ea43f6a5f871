import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
function o(n){process.stdout.write(`${JSON.stringify(n,null,2)}
`)}function s(n=""){process.stdout.write(`${n}
`)}function i(n){process.stderr.isTTY&&!process.env.CI&&process.stderr.write(`${n}
`)}function e(n,r){return`${n}${r.map(t=>`
  ${t}`).join("")}`}export{o as a,s as b,i as c,e as d};
