/**
 * Aider, run once per iteration: `aider --yes-always --no-auto-commits --no-pretty --no-stream
 * --message-file PROMPT_FILE`. Aider is a Python package (PyPI), which this build machine cannot reach, so
 * these flags follow aider's scripting documentation rather than a local `--help` (docs/runner.md says so).
 * Handoff commits, so aider's own auto-commits are off. Aider prints human text only: the report carries
 * the exit status and the output tail.
 */
import { buildChildEnv } from "./env.js";
import type { AdapterInput, LaunchPlan, ParsedOutput, RuntimeAdapter } from "./types.js";

function plan(input: AdapterInput): LaunchPlan {
  const { runtime } = input;
  const args = ["--yes-always", "--no-auto-commits", "--no-pretty", "--no-stream", "--no-check-update"];
  if (runtime.model) args.push("--model", runtime.model);
  args.push("--message-file", input.promptFile);
  return {
    command: runtime.command ?? "aider",
    args,
    env: buildChildEnv(input.sourceEnv, runtime.env),
    cwd: input.worktree,
    tty: runtime.tty === true,
  };
}

/** Best effort: aider's tokens line (`Tokens: 1.2k sent, 300 received.`) when present. */
export function parseAiderOutput(stdout: string): ParsedOutput {
  const tokens = [...stdout.matchAll(/Tokens:\s*([\d.]+)(k?) sent,\s*([\d.]+)(k?) received/g)];
  const count = (n: string | undefined, k: string | undefined): number =>
    Math.round(Number(n ?? 0) * (k ? 1000 : 1));
  const cost = [...stdout.matchAll(/Cost:\s*\$([\d.]+) message/g)];
  return {
    turns: tokens.length,
    toolCalls: [],
    permissionDenials: [],
    ...(tokens.length
      ? {
          inputTokens: tokens.reduce((sum, m) => sum + count(m[1], m[2]), 0),
          outputTokens: tokens.reduce((sum, m) => sum + count(m[3], m[4]), 0),
        }
      : {}),
    ...(cost.length ? { costUsd: cost.reduce((sum, m) => sum + Number(m[1]), 0) } : {}),
    isError: false,
  };
}

export const aider: RuntimeAdapter = { name: "aider", plan, parse: (stdout) => parseAiderOutput(stdout) };
