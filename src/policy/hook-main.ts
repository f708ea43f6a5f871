// `handoff policy hook`: a Claude Code PreToolUse hook. It fails closed: a crash, malformed input, an
// unreadable policy or a timeout all print a deny answer and exit 0, because Claude Code reads the
// JSON answer only on exit 0 (exit 2 also blocks; any other exit code lets the tool run).
import { type HookOptions, answerHook } from "./hook.js";
import { failedClosed, hookOutput } from "./hook-protocol.js";

/** The hook answers within this time or denies (Claude Code's own hook timeout is much longer). */
export const HOOK_TIMEOUT_MS = 10_000;

const USAGE = `Usage: handoff policy hook --policy FILE [--root DIR] [--quiet-allow] [--timeout MS] [--socket PATH]

A Claude Code PreToolUse hook: reads the tool call JSON on stdin and prints the policy's answer.
Fails closed: any error or a timeout prints a deny answer.`;

let answered = false;

function finish(text: string, code = 0): void {
  if (answered) return;
  answered = true;
  if (text) process.stdout.write(`${text}\n`);
  process.exitCode = code;
}

function failClosed(why: string): void {
  finish(failedClosed(why));
  // Nothing else may print after the answer; leave now even if something is still pending.
  setImmediate(() => process.exit(0));
}

function parseArgs(argv: readonly string[]): (HookOptions & { timeoutMs: number }) | string {
  const options: Partial<HookOptions> & { timeoutMs: number } = { timeoutMs: HOOK_TIMEOUT_MS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (name === "--policy") options.policyFile = value();
    else if (name === "--root") options.root = value();
    else if (name === "--timeout") options.timeoutMs = Number(value());
    else if (name === "--quiet-allow") options.quietAllow = true;
    else if (name === "--socket")
      value(); // used by the loader (resident policy process); ignored here
    else return `unknown option ${arg}`;
  }
  if (!options.policyFile) return "--policy FILE is required";
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0)
    return "--timeout must be a positive number";
  return options as HookOptions & { timeoutMs: number };
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk: string) => {
      data += chunk;
      if (data.length > 4_000_000) reject(new Error("hook input is larger than 4 MB"));
    });
    process.stdin.on("end", () => resolve(data));
    process.stdin.on("error", reject);
  });
}

/** Runs the hook with the arguments after `policy hook`. Always exits 0 with an answer on stdout. */
export async function runHookMain(argv: readonly string[], input?: string): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  process.on("uncaughtException", (error) => failClosed(`unexpected error: ${error.message}`));
  process.on("unhandledRejection", (error) => failClosed(`unexpected error: ${String(error)}`));
  const parsed = parseArgs(argv);
  if (typeof parsed === "string") return failClosed(parsed);
  const timer = setTimeout(() => failClosed(`no answer within ${parsed.timeoutMs} ms`), parsed.timeoutMs);
  try {
    const answer = await answerHook(input ?? (await readStdin()), parsed);
    finish(answer.decision === "none" ? "" : hookOutput(answer.decision, answer.reason));
  } catch (error) {
    failClosed(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}
