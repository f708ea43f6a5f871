// Bundles the CLI and the library with esbuild. The CLI is split so that each command loads only the
// modules it needs: cold start matters for `handoff policy hook`, which runs once per agent tool call.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { inlineLazyRequires } from "./lazy-requires.mjs";

const { version } = JSON.parse(await readFile("package.json", "utf8"));
const withTypes = process.argv.includes("--types");

await rm("build", { recursive: true, force: true });
await build({
  entryPoints: {
    cli: "src/cli/index.ts",
    index: "src/index.ts",
    app: "src/app/main.ts",
    "app-action": "src/app/action.ts",
  },
  outdir: "build",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
  define: { "process.env.HANDOFF_BUILD_VERSION": JSON.stringify(version) },
});
// The policy hook: one CommonJS file with its dependencies inlined (so a V8 code cache can cover all
// of it), a small ESM loader, and the code cache itself, written by running the loader once.
await build({
  entryPoints: { "policy-hook-core": "src/policy/hook-core.ts" },
  plugins: [inlineLazyRequires],
  outdir: "build",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "eof",
  logLevel: "warning",
});
await build({
  entryPoints: { "policy-hook": "src/policy/hook-loader.ts" },
  outdir: "build",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});
execFileSync(process.execPath, ["build/policy-hook.js", "--write-code-cache", "policies/default.yaml"], {
  stdio: "inherit",
});
if (withTypes) {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    stdio: "inherit",
  });
}
