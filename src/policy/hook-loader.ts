// build/policy-hook.js: starts the hook as fast as Node allows. The hook runs once per agent tool call,
// so it loads one pre-bundled CommonJS file (build/policy-hook-core.cjs) through `vm.Script` with a V8
// code cache written at build time, skipping parsing and compiling of zod, yaml and mvdan-sh.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";
import { failedClosed, NO_OPINION } from "./hook-protocol.js";

interface HookCore {
  runHookMain(argv: readonly string[], input?: string): Promise<void>;
  warm(warmPolicy?: string): Promise<void>;
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

/**
 * Runs the hook (the arguments after `policy hook`). With `--socket PATH` (or HANDOFF_POLICY_SOCKET)
 * it asks the resident policy process first and loads nothing else; if that process does not answer,
 * it decides in-process as usual. Whatever goes wrong here, before the core's own guards exist, still
 * ends in a deny answer and exit 0: any other exit code would let Claude Code run the tool.
 */
export async function runBundledHook(argv: readonly string[]): Promise<void> {
  const limit = Number(argv[argv.indexOf("--timeout") + 1]);
  const guard = setTimeout(
    () => failClosed("no answer in time"),
    argv.includes("--timeout") && limit > 0 ? limit + 1_000 : 11_000,
  );
  try {
    await hookWithResident(argv);
  } catch (error) {
    failClosed(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(guard);
  }
}

async function hookWithResident(argv: readonly string[]): Promise<void> {
  const at = argv.indexOf("--socket");
  const socket = at >= 0 ? argv[at + 1] : process.env.HANDOFF_POLICY_SOCKET;
  if (!socket) return loadCore(true).core.runHookMain(argv);
  const input = await readAll(process.stdin);
  const answer = await askResident(socket, input).catch(() => undefined);
  if (answer !== undefined) {
    if (answer) process.stdout.write(`${answer}\n`);
    return;
  }
  return loadCore(true).core.runHookMain(argv, input);
}

/** The deny answer, written without any module that could itself be what failed. */
export function failClosed(why: string): void {
  process.stdout.write(`${failedClosed(why)}\n`);
  process.exit(0);
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (data += chunk));
    stream.on("end", () => resolve(data));
    stream.on("error", reject);
  });
}

/** One request to the resident policy process; rejects on any connection problem or after 5 s. */
function askResident(socket: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const connection = connect(socket);
    let answer = "";
    connection.setEncoding("utf8");
    connection.setTimeout(5_000, () => connection.destroy(new Error("resident policy process timed out")));
    connection.on("connect", () => connection.end(input));
    connection.on("data", (chunk: string) => (answer += chunk));
    connection.on("error", reject);
    connection.on("close", (hadError) => {
      // The server always answers: the hook JSON, or NO_OPINION. Anything else (a dropped connection
      // included) is not an answer, and the caller decides in-process instead.
      if (hadError) return;
      if (answer === NO_OPINION) resolve("");
      else if (answer.startsWith('{"hookSpecificOutput"')) resolve(answer);
      else reject(new Error("resident policy process sent no answer"));
    });
  });
}

/** Build step: run the hot paths once, then save V8's compiled code for them next to the bundle. */
async function writeCodeCache(): Promise<void> {
  const { core, script } = loadCore(false);
  await core.warm(process.argv[3]);
  const data = script.createCachedData();
  writeFileSync(`${CACHE}.tmp`, data);
  renameSync(`${CACHE}.tmp`, CACHE);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === "--write-code-cache") await writeCodeCache();
  else await runBundledHook(process.argv.slice(2));
}
