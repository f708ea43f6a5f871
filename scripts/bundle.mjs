// Bundles the Action into the committed `dist/`: `dist/action.js` (the composite's steps run it) and
// `dist/cli.js` (the `handoff` CLI, which the agent's policy hook calls), every dependency inlined so
// the action runs from its checkout with no `npm install`. ESM for Node 20, which Node 24 also runs.
// The output must be reproducible: CI rebuilds it and fails when it differs from what is committed.
import { build } from "esbuild";
import { readFile, rm } from "node:fs/promises";
import { inlineLazyRequires } from "./lazy-requires.mjs";

const { version } = JSON.parse(await readFile("package.json", "utf8"));
// Tests bundle the current sources elsewhere (`--outdir build/action/dist`), leaving dist/ as committed.
const at = process.argv.indexOf("--outdir");
const outdir = at > 0 ? process.argv[at + 1] : "dist";

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { action: "src/action/index.ts", cli: "src/cli/index.ts" },
  plugins: [inlineLazyRequires],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // The PTY runtime is a native addon loaded only by agents that ask for a terminal; it cannot be inlined.
  external: ["@lydell/node-pty"],
  minify: true,
  legalComments: "linked",
  chunkNames: "chunks/[name]-[hash]",
  // Bundled CommonJS packages call require() for Node's own modules; ESM has no require of its own.
  banner: {
    js: 'import { createRequire as __handoffCreateRequire } from "node:module"; const require = __handoffCreateRequire(import.meta.url);',
  },
  logLevel: "warning",
  define: { "process.env.HANDOFF_BUILD_VERSION": JSON.stringify(version) },
});
