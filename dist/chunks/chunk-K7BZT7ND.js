import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);
var i=/^\s*\/complete(?=\s|$)/;function p(o){return i.test(o)}function f(o){let c=o.replace(/\r\n?/g,`
`),n=i.exec(c);if(!n)return null;let e=c.slice(n[0].length),t=m(e);return t!==null?{content:t,source:"fenced block"}:{content:e.trim(),source:"comment text"}}function m(o,c){let n=o.split(`
`);for(let e=0;e<n.length;e++){let t=/^ {0,3}(`{3,}|~{3,})(.*)$/.exec(n[e]);if(!t)continue;let r=t[1];if(r[0]==="`"&&t[2].includes("`"))continue;let u=new RegExp(`^ {0,3}${r[0]==="`"?"`":"~"}{${r.length},}\\s*$`),l=[],s=e+1;for(;s<n.length&&!u.test(n[s]);s++)l.push(n[s]);if(c===void 0||t[2].trim().split(/\s+/)[0]===c)return l.join(`
`);e=s}return null}export{p as a,f as b,m as c};
