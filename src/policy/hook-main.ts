// `handoff policy hook`: a PreToolUse hook for Claude Code and Codex (`--protocol claude`, the default)
// and a BeforeTool hook for Gemini CLI (`--protocol gemini`). It fails closed: a crash, malformed
// input, an unreadable policy or a timeout all print a deny answer and exit 0, because each CLI reads
// the JSON answer only on exit 0 (exit 2 also blocks; any other exit code lets the tool run).
import { type HookOptions, answerHook } from "./hook.js";
import { HOOK_PROTOCOLS, answerText, failedClosedIn, fromGeminiInput, protocolOf } from "./hook-gemini.js";
import { recordDecision, recordOf } from "./hook-record.js";

/** The hook answers within this time or denies (Claude Code's own hook timeout is much longer). */
export const HOOK_TIMEOUT_MS = 10_000;

const USAGE = `Usage: handoff policy hook --policy FILE [--protocol claude|gemini] [--record FILE]
                           [--root DIR] [--quiet-allow] [--timeout MS] [--socket PATH]

An agent CLI's tool hook: reads the tool call JSON on stdin and prints the policy's answer in the
CLI's format (claude: Claude Code and Codex PreToolUse; gemini: Gemini CLI BeforeTool). --record
appends each decision as a JSON line to FILE. Fails closed: any error or a timeout prints a deny.`;

let answered = false;
/** Set once the arguments are read, so that a failure is answered in the CLI's format and recorded. */
let protocol = "claude";
let recordFile: string | undefined;
let rawInput: unknown;

function finish(text: string, code = 0): void {
  if (answered) return;
  answered = true;
  if (text) process.stdout.write(`${text}\n`);
  process.exitCode = code;
}

function failClosed(why: string): void {
  const answer = failedClosedIn(protocol, why);
  try {
    const { reason } = JSON.parse(failedClosedIn("gemini", why)) as { reason: string };
    recordDecision(recordFile, recordOf(rawInput, "deny", reason));
  } catch {
    // The deny answer matters more than its record.
  }
  finish(answer);
  // Nothing else may print after the answer; leave now even if something is still pending.
  setImmediate(() => process.exit(0));
}

interface MainOptions extends HookOptions {
  timeoutMs: number;
  protocol: string;
  record?: string;
}

function parseArgs(argv: readonly string[]): MainOptions | string {
  const options: Partial<MainOptions> & { timeoutMs: number } = {
    timeoutMs: HOOK_TIMEOUT_MS,
    protocol: "claude",
  };
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
    else if (name === "--protocol") options.protocol = value();
    else if (name === "--record") options.record = value();
    else if (name === "--socket")
      value(); // used by the loader (resident policy process); ignored here
    else return `unknown option ${arg}`;
  }
  if (!options.policyFile) return "--policy FILE is required";
  if (!HOOK_PROTOCOLS.includes(options.protocol as never))
    return `--protocol must be one of ${HOOK_PROTOCOLS.join(", ")} (got "${options.protocol ?? ""}")`;
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0)
    return "--timeout must be a positive number";
  return options as MainOptions;
}

/** The input as JSON if it is JSON (for the record and the Gemini mapping); validation happens later. */
function parseLoosely(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
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
  // Even an unusable argv is answered in the CLI's own format: a Claude-style deny lets Gemini run the tool.
  protocol = protocolOf(argv) === "gemini" ? "gemini" : "claude";
  const parsed = parseArgs(argv);
  if (typeof parsed === "string") return failClosed(parsed);
  recordFile = parsed.record;
  const timer = setTimeout(() => failClosed(`no answer within ${parsed.timeoutMs} ms`), parsed.timeoutMs);
  try {
    const text = input ?? (await readStdin());
    rawInput = parseLoosely(text);
    const stdin = parsed.protocol === "gemini" ? JSON.stringify(fromGeminiInput(rawInput)) : text;
    const answer = await answerHook(stdin, parsed);
    if (answer.decision !== "none")
      recordDecision(recordFile, recordOf(rawInput, answer.decision, answer.reason));
    finish(answer.decision === "none" ? "" : answerText(parsed.protocol, answer.decision, answer.reason));
  } catch (error) {
    failClosed(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}
