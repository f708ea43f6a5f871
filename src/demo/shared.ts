import { spawn } from "node:child_process";
import { join } from "node:path";
import { HandoffError } from "../errors.js";
import { packageRoot } from "../util/package-root.js";

/** What a child process of the demo did. */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Variables that would change what the demo shows: keys, modes, queue and runbook overrides. */
const SCRUBBED = /^(LLM_|HANDOFF_|OPENAI_|ANTHROPIC_)/;

export function demoEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!SCRUBBED.test(key)) env[key] = value;
  return { ...env, LLM_EXEC_SLOT: "3", ...extra };
}

export function run(program: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The helpers every act of the story uses: where it happens, how it is told, how handoff is run. */
export interface Stage {
  /** The demo's temp folder. */
  dir: string;
  /** Handoff's package folder (examples, policies). */
  root: string;
  say(line: string): void;
  /** Shows a command's output indented under it. */
  indent(text: string): void;
  /** Runs the built CLI as a real child process in `cwd` (default: the temp folder). */
  handoff(args: string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<Ran>;
  /** Stops the story (output shown) unless the command exited with `code`. */
  expect(ran: Ran, code: number, what: string): void;
  /** Shows a command line, runs it, shows its output and exit code, and checks the code. */
  show(args: string[], code: number, options?: { cwd?: string; shown?: string }): Promise<Ran>;
}

export function createStage(dir: string, out: (line: string) => void): Stage {
  const root = packageRoot();
  const cli = join(root, "build", "cli.js");
  const say = out;
  const indent = (text: string): void => {
    for (const line of text.trim().split("\n")) say(`    │ ${line}`.trimEnd());
  };
  const handoff: Stage["handoff"] = (args, options = {}) =>
    run(process.execPath, [cli, ...args], options.cwd ?? dir, demoEnv(options.env));
  const expect: Stage["expect"] = (ran, code, what) => {
    if (ran.code !== code) {
      indent(ran.stdout + ran.stderr);
      throw new HandoffError(`demo: ${what} exited ${ran.code}, expected ${code}`);
    }
  };
  const show: Stage["show"] = async (args, code, options = {}) => {
    say(`  $ handoff ${options.shown ?? args.join(" ")}`);
    const ran = await handoff(args, options);
    expect(ran, code, `handoff ${args[0] ?? ""}`);
    if ((ran.stdout + ran.stderr).trim()) indent(ran.stdout + ran.stderr);
    say(`  → exit code ${code}`);
    return ran;
  };
  return { dir, root, say, indent, handoff, expect, show };
}
