// The work behind `handoff playbook …`: the group's one lazy module, so `handoff --help` stays fast.
import { resolve } from "node:path";
import { ConfigError } from "../../errors.js";
import { loadPlaybook } from "../../playbooks/load.js";
import { runPlaybook } from "../../playbooks/run.js";
import type { StepEvent, StepResult } from "../../playbooks/types.js";
import { loadPolicy } from "../../policy/index.js";
import { redactorFromEnv } from "../../redaction/index.js";
import { printJson, printLine, progress } from "../output.js";

/** Options of `handoff playbook run`. */
export interface PlaybookRunOptions {
  var: Record<string, string>;
  policy?: string;
  json?: boolean;
  cwd?: string;
  retryBaseMs?: number;
  secretEnv: string[];
}

const MARK: Record<StepResult["status"], string> = {
  passed: "✓",
  failed: "✗",
  timeout: "⏱",
  denied: "⛔",
  skipped: "-",
  stopped: "■",
};

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function describe(result: StepResult): string {
  const parts = [`${MARK[result.status]} ${result.status.padEnd(7)} ${result.name}`];
  if (result.attempts > 0) {
    parts.push(
      `exit ${result.exitCode ?? "-"}, ${result.attempts} attempt${result.attempts === 1 ? "" : "s"}, ${seconds(result.durationMs)}`,
    );
  }
  if (result.reason) parts.push(result.reason);
  return parts.join(" · ");
}

function onStep(event: StepEvent): void {
  if (event.phase === "start") progress(`▶ ${event.step.name}`);
  else progress(describe(event.result));
}

export async function runPlaybookCommand(file: string, opts: PlaybookRunOptions): Promise<void> {
  const playbook = await loadPlaybook(file);
  let policy;
  if (opts.policy) {
    policy = await loadPolicy(opts.policy);
  }
  // Output tails are printed and often pasted into issues: mask token shapes always, and the values
  // of the variables named with --secret-env.
  const redactor = redactorFromEnv(opts.secretEnv);
  for (const name of redactor.missing)
    process.stderr.write(`handoff: --secret-env ${name} is not set; nothing to mask for it\n`);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const result = await runPlaybook(playbook, {
      cwd: resolve(opts.cwd ?? process.cwd()),
      vars: opts.var,
      policy,
      redactor,
      onStep: opts.json ? undefined : onStep,
      signal: controller.signal,
      retryBaseMs: opts.retryBaseMs,
    });
    if (opts.json) {
      printJson({ playbook: playbook.name, file, ...result });
    } else {
      // On a terminal the progress lines already showed each step; do not print them twice.
      const live = Boolean(process.stderr.isTTY && process.stdout.isTTY && !process.env.CI);
      for (const step of result.steps) {
        const failed = step.status === "failed" || step.status === "timeout";
        if (!live) printLine(describe(step));
        else if (failed) printLine(`output of ${step.name}:`);
        if (failed) for (const line of step.outputTail.split("\n")) printLine(`    ${line}`);
      }
      const count = (s: StepResult["status"]): number => result.steps.filter((r) => r.status === s).length;
      printLine(
        `playbook "${playbook.name}": ${result.ok ? "ok" : "FAILED"} (${count("passed")} passed, ${count("failed") + count("timeout")} failed, ${count("denied")} denied, ${count("skipped")} skipped, ${count("stopped")} stopped) in ${seconds(result.durationMs)}`,
      );
    }
    if (controller.signal.aborted) process.exitCode = 130;
    else if (!result.ok) process.exitCode = 1;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

export async function validatePlaybookCommand(file: string, json: boolean): Promise<void> {
  try {
    const playbook = await loadPlaybook(file);
    if (json)
      printJson({ file, valid: true, name: playbook.name, steps: playbook.steps.length, problems: [] });
    else
      printLine(
        `valid    ${file} ("${playbook.name}", ${playbook.steps.length} step${playbook.steps.length === 1 ? "" : "s"})`,
      );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error.problems.length > 0 ? [...error.problems] : [error.message];
    if (json) printJson({ file, valid: false, problems });
    else {
      printLine(`invalid  ${file} (${problems.length} problem${problems.length === 1 ? "" : "s"})`);
      for (const problem of problems) printLine(`  ${problem}`);
    }
    process.exitCode = 1;
  }
}

export { jsonSchemaOf } from "../../schemas.js";
