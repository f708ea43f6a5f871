import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
function n(r){process.stdout.write(`${JSON.stringify(r,null,2)}
`)}function s(r=""){process.stdout.write(`${r}
`)}function o(r){process.stderr.isTTY&&!process.env.CI&&process.stderr.write(`${r}
`)}export{n as a,s as b,o as c};
