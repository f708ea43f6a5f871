import { realpath, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { evaluateCondition, parseCondition } from "./condition.js";
import { checkCommand, stopsOnDeny, type Policy } from "./policy-gate.js";
import { runProcessGroup } from "../process/group.js";
import { buildChildEnv } from "../runtimes/env.js";
import { type SandboxMode, SandboxUnavailable, sandboxed } from "../sandbox/bwrap.js";
import type { Playbook, PlaybookStep } from "./schema.js";
import type { PlaybookResult, StepEvent, StepResult, TextRedactor } from "./types.js";

/** Options of {@link runPlaybook}. */
export interface RunPlaybookOptions {
  /** The working directory (the worktree). Steps run here or in a `working_directory` inside it. */
  cwd: string;
  /** Variables for step conditions (`--var name=value`). */
  vars?: Readonly<Record<string, string>>;
  /** When given, every command is checked before it runs; a denied step does not run. */
  policy?: Policy;
  /**
   * Where the steps' environment comes from (default `process.env`). A step gets only a small base
   * (PATH, HOME, locale…) and the names its playbook or step lists in `pass_env`; `env` goes on top.
   */
  env?: NodeJS.ProcessEnv;
  /** The OS sandbox (default: the policy's `sandbox`, else `auto`). */
  sandbox?: SandboxMode;
  /** Masks secrets in the output tails. */
  redactor?: TextRedactor;
  /** Called before and after each step. */
  onStep?: (event: StepEvent) => void;
  /** Aborting kills the running step's process group; the remaining steps are `stopped`. */
  signal?: AbortSignal;
  /** Backoff base in milliseconds (default: the playbook's `retry_base_seconds`). Retry n waits base × 2^(n-1). */
  retryBaseMs?: number;
  /** Between SIGTERM and SIGKILL of a step's process group (default: the process runner's grace, 5 s). */
  killGraceMs?: number;
}

const TAIL_LINES = 50;
const TAIL_CHARS = 4096;
/** Kept before redaction, so that a secret is redacted whole before the tail is cut. */
const KEEP_CHARS = 64 * 1024;

/** The last lines of the output, redacted first so a secret cannot be cut into an unrecognisable piece. */
export function outputTail(output: string, redactor?: TextRedactor): string {
  const clean = redactor ? redactor.redact(output) : output;
  const lines = clean.trimEnd().split("\n");
  let tail = lines.slice(-TAIL_LINES).join("\n");
  if (tail.length > TAIL_CHARS) tail = tail.slice(tail.length - TAIL_CHARS);
  return tail;
}

/** Resolves a step's working_directory and refuses one that leaves the working directory (symlinks too). */
async function stepDirectory(
  cwd: string,
  wd: string | undefined,
): Promise<{ dir?: string; problem?: string }> {
  if (wd === undefined) return { dir: cwd };
  if (isAbsolute(wd) || wd.split(/[\\/]/).includes("..")) {
    return { problem: `working_directory "${wd}" must stay inside ${cwd}` };
  }
  try {
    const [root, dir] = await Promise.all([realpath(cwd), realpath(resolve(cwd, wd))]);
    const back = relative(root, dir);
    if (back === ".." || back.startsWith(`..${sep}`) || isAbsolute(back)) {
      return { problem: `working_directory "${wd}" resolves outside ${cwd}` };
    }
    if (!(await stat(dir)).isDirectory()) return { problem: `working_directory "${wd}" is not a folder` };
    return { dir };
  } catch {
    return { problem: `working_directory "${wd}" does not exist` };
  }
}

/** Declared names only: a token in Handoff's environment that no step names never reaches a step. */
function stepEnv(base: NodeJS.ProcessEnv, playbook: Playbook, step: PlaybookStep): NodeJS.ProcessEnv {
  const env = buildChildEnv(base, [...(playbook.pass_env ?? []), ...(step.pass_env ?? [])]);
  for (const extra of [playbook.env, step.env]) {
    for (const [key, value] of Object.entries(extra ?? {})) env[key] = String(value);
  }
  return env;
}

function notRun(step: PlaybookStep, status: StepResult["status"], reason: string): StepResult {
  return { name: step.name, status, exitCode: null, attempts: 0, durationMs: 0, outputTail: "", reason };
}

/**
 * Runs a playbook's steps in order as real processes. A string command runs with `sh -c` (after the
 * policy allows it, when one is given); an argv command runs without a shell. Each step gets a timeout
 * that kills its whole process group, retries with exponential backoff, an optional condition, and
 * fail_fast (default true: later steps are skipped after a failure).
 */
export async function runPlaybook(playbook: Playbook, options: RunPlaybookOptions): Promise<PlaybookResult> {
  const started = performance.now();
  const cwd = resolve(options.cwd);
  const vars = options.vars ?? {};
  const baseMs = options.retryBaseMs ?? playbook.retry_base_seconds * 1000;
  const results: StepResult[] = [];
  let halt: { status: "skipped" | "stopped"; reason: string } | undefined;

  for (const [index, step] of playbook.steps.entries()) {
    const result = await (async (): Promise<StepResult> => {
      if (options.signal?.aborted) halt ??= { status: "stopped", reason: "the playbook was stopped" };
      if (halt) return notRun(step, halt.status, halt.reason);
      if (step.condition !== undefined && !evaluateCondition(parseCondition(step.condition), vars)) {
        return notRun(step, "skipped", `condition is false: ${step.condition}`);
      }
      options.onStep?.({ phase: "start", index, step });
      const where = await stepDirectory(cwd, step.working_directory);
      if (!where.dir) return notRun(step, "failed", where.problem ?? "bad working_directory");
      if (options.policy) {
        const decision = await checkCommand(options.policy, step.command, where.dir, cwd);
        if (!decision.allowed) {
          return { ...notRun(step, "denied", `denied by ${decision.rule}: ${decision.reason}`), decision };
        }
        return { ...(await attempts(step, where.dir, playbook, options, baseMs)), decision };
      }
      return attempts(step, where.dir, playbook, options, baseMs);
    })();
    results.push(result);
    options.onStep?.({ phase: "end", index, step, result });
    if (result.status === "stopped") halt ??= { status: "stopped", reason: "the playbook was stopped" };
    if (result.status === "denied" && options.policy && stopsOnDeny(options.policy)) {
      halt ??= { status: "stopped", reason: `stopped after step "${step.name}" was denied (stop_on_deny)` };
    }
    if ((result.status === "failed" || result.status === "timeout") && step.fail_fast) {
      halt ??= { status: "skipped", reason: `skipped because step "${step.name}" failed (fail_fast)` };
    }
  }
  const bad = new Set(["failed", "denied", "timeout", "stopped"]);
  return {
    ok: results.every((r) => !bad.has(r.status)),
    steps: results,
    durationMs: Math.round(performance.now() - started),
  };
}

async function attempts(
  step: PlaybookStep,
  dir: string,
  playbook: Playbook,
  options: RunPlaybookOptions,
  baseMs: number,
): Promise<StepResult> {
  const started = performance.now();
  const command: [string, ...string[]] =
    typeof step.command === "string" ? ["sh", "-c", step.command] : (step.command as [string, ...string[]]);
  const env = stepEnv(options.env ?? process.env, playbook, step);
  const mode = options.sandbox ?? options.policy?.sandbox ?? "auto";
  let use;
  try {
    const spec = { worktree: resolve(options.cwd), cwd: dir, network: step.network };
    use = await sandboxed(command, mode, spec, env.PATH);
  } catch (error) {
    if (!(error instanceof SandboxUnavailable)) throw error;
    return { ...notRun(step, "denied", error.message), sandboxed: false };
  }
  const argv = use.argv;
  const where = use.sandboxed ? { sandboxed: true } : { sandboxed: false, sandboxReason: use.reason };
  let attempt = 0;
  for (;;) {
    attempt++;
    const outcome = await runProcessGroup(argv, {
      cwd: dir,
      env,
      timeoutMs: step.timeout_seconds * 1000,
      signal: options.signal,
      killGraceMs: options.killGraceMs,
      maxOutputChars: KEEP_CHARS,
      interleave: true,
    });
    const failedStart = outcome.spawnError;
    const text = failedStart
      ? `${outcome.stdout}${failedStart.code ?? "error"}: ${failedStart.message}\n`
      : outcome.stdout;
    const status =
      outcome.killed === "stopped"
        ? "stopped"
        : outcome.killed === "timeout"
          ? "timeout"
          : outcome.exitCode === 0
            ? "passed"
            : "failed";
    const result: StepResult = {
      name: step.name,
      status,
      exitCode: outcome.killed ? null : outcome.exitCode,
      attempts: attempt,
      durationMs: 0,
      outputTail: outputTail(text, options.redactor),
      ...where,
    };
    if (status === "timeout")
      result.reason = `timed out after ${step.timeout_seconds}s; its process group was killed`;
    if (status === "failed" && outcome.signal) result.reason = `killed by ${outcome.signal}`;
    if (status === "stopped") result.reason = "stopped while running; its process group was killed";
    const retry = (status === "failed" || status === "timeout") && attempt <= step.retry_count;
    if (retry) {
      try {
        await sleep(baseMs * 2 ** (attempt - 1), undefined, { signal: options.signal });
        continue;
      } catch {
        result.status = "stopped";
        result.reason = "stopped while waiting to retry";
      }
    }
    result.durationMs = Math.round(performance.now() - started);
    return result;
  }
}
