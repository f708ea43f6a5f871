/**
 * Any program as an agent: `runtime.command` plus the `runtime.args` template, where `{prompt_file}`,
 * `{worktree}`, `{issue}` and `{<parameter>}` are replaced inside each argument. No shell is involved,
 * so nothing in the prompt, the issue or a path can turn into extra commands.
 */
import { renderTemplate } from "../agents/template.js";
import { ConfigError } from "../errors.js";
import { buildChildEnv } from "./env.js";
import type { AdapterInput, LaunchPlan, ParsedOutput, RuntimeAdapter } from "./types.js";

/**
 * Replaces `{name}` placeholders in one template argument (the agents module's template rules);
 * unknown names stay as written. Each argument stays one argv entry whatever the values contain.
 */
export function expandArg(
  template: string,
  values: Readonly<Record<string, string | number | boolean>>,
): string {
  return renderTemplate(template, values);
}

function plan(input: AdapterInput): LaunchPlan {
  const { runtime } = input;
  if (!runtime.command) {
    throw new ConfigError("runtime.command is required for the command adapter", undefined, [
      "$.runtime.command: required when adapter is command",
    ]);
  }
  // The run's own placeholders win over parameters of the same name.
  const values = {
    ...input.parameters,
    prompt_file: input.promptFile,
    worktree: input.worktree,
    issue: input.issue,
  };
  return {
    command: expandArg(runtime.command, values),
    args: (runtime.args ?? []).map((arg) => expandArg(arg, values)),
    env: buildChildEnv(input.sourceEnv, runtime.env, {
      HANDOFF_PROMPT_FILE: input.promptFile,
      HANDOFF_WORKTREE: input.worktree,
      HANDOFF_ISSUE: input.issue,
    }),
    cwd: input.worktree,
    tty: runtime.tty === true,
  };
}

/** A command reports nothing structured; its last non-empty line is its answer. */
export function parseCommandOutput(stdout: string): ParsedOutput {
  const last = stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1);
  return {
    turns: 1,
    toolCalls: [],
    permissionDenials: [],
    isError: false,
    ...(last ? { resultText: last } : {}),
  };
}

export const command: RuntimeAdapter = {
  name: "command",
  plan,
  parse: (stdout) => parseCommandOutput(stdout),
};
