// build/policy-hook.js: starts the hook as fast as Node allows. The hook runs once per agent tool call,
// so it loads one pre-bundled CommonJS file (build/policy-hook-core.cjs) through `vm.Script` with a V8
// code cache written at build time, skipping parsing and compiling of zod, yaml and mvdan-sh.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";

interface HookCore {
  runHookMain(argv: readonly string[]): Promise<void>;
  warm(): Promise<void>;
}

const CORE = fileURLToPath(new URL("./policy-hook-core.cjs", import.meta.url));
const CACHE = `${CORE}.v8cache`;

function loadCore(useCache: boolean): { core: HookCore; script: vm.Script } {
  const source = readFileSync(CORE, "utf8");
  let cachedData: Buffer | undefined;
  if (useCache) {
    try {
      cachedData = readFileSync(CACHE);
    } catch {
      cachedData = undefined; // no cache (or another Node version wrote it): compile normally
    }
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: CORE, cachedData });
  const module = { exports: {} as HookCore };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn(module.exports, createRequire(CORE), module, CORE, fileURLToPath(new URL(".", import.meta.url)));
  return { core: module.exports, script };
}

/** Runs the hook (the arguments after `policy hook`). */
export async function runBundledHook(argv: readonly string[]): Promise<void> {
  await loadCore(true).core.runHookMain(argv);
}

/** Build step: run the hot paths once, then save V8's compiled code for them next to the bundle. */
async function writeCodeCache(): Promise<void> {
  const { core, script } = loadCore(false);
  await core.warm();
  const data = script.createCachedData();
  writeFileSync(`${CACHE}.tmp`, data);
  renameSync(`${CACHE}.tmp`, CACHE);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === "--write-code-cache") await writeCodeCache();
  else await runBundledHook(process.argv.slice(2));
}
