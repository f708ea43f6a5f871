/**
 * Completion conditions: the validators an agent names, evaluated in the run's worktree after
 * each iteration, and the completion types built on them. Every evaluation says what it found, so an
 * unmet condition can be fed back to the agent in the next prompt.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { AgentDefinition, CompletionCondition } from "../agents/index.js";
import { ConfigError } from "../errors.js";
import type { Git } from "../git/git.js";
import {
  loadPlaybook,
  parsePlaybook,
  runPlaybook,
  type PlaybookResult,
  type TextRedactor,
} from "../playbooks/index.js";
import { decide, type Policy } from "../policy/index.js";
import { newAjv, schemaDraft } from "../util/json-schema.js";

/** The outcome of one validator. */
export interface ConditionResult {
  validator: string;
  passed: boolean;
  /** What was found, in words (fed back to the agent when it failed). */
  detail: string;
}

/** What the validators can look at. */
export interface CompletionContext {
  agent: AgentDefinition;
  worktree: string;
  git: Git;
  /** The base the run's branch started from (for `commits-ahead`). */
  baseSha: string;
  /** The agent's final message of this iteration. */
  resultText?: string;
  /** The run's playbook result of this iteration, when a playbook ran. */
  playbookResult?: PlaybookResult;
  /** Runs a playbook file (relative to the worktree) under the run's policy. */
  runPlaybookFile(file: string): Promise<PlaybookResult>;
  /** Runs one command under the run's policy; ok when it exits 0. */
  runCommand(command: string | string[], timeoutSeconds?: number): Promise<{ ok: boolean; detail: string }>;
}

/** What the run gives its validators: where they look, and how they may run playbooks and commands. */
export interface ValidatorRun {
  agent: AgentDefinition;
  worktree: string;
  git: Git;
  baseSha: string;
  /** The repository's policy (without the role's extra rules): every validator command is checked. */
  policy: Policy;
  env: NodeJS.ProcessEnv;
  redactor: TextRedactor;
  signal: AbortSignal;
}

/**
 * The validators' context of one iteration. A validator's command runs as a one-step playbook (the same
 * process runner, timeout and redaction as any step) after the repository's policy allows it.
 */
export function completionContext(
  run: ValidatorRun,
  iteration: { resultText?: string; playbookResult?: PlaybookResult },
): CompletionContext {
  const { worktree, env, redactor, signal } = run;
  return {
    agent: run.agent,
    worktree,
    git: run.git,
    baseSha: run.baseSha,
    resultText: iteration.resultText,
    playbookResult: iteration.playbookResult,
    runPlaybookFile: async (file) =>
      runPlaybook(await loadPlaybook(resolve(worktree, file)), {
        cwd: worktree,
        policy: run.policy,
        env,
        redactor,
        signal,
      }),
    runCommand: async (command, timeoutSeconds) => {
      const decision = await decide(run.policy, command, { cwd: worktree });
      if (!decision.allowed) return { ok: false, detail: `denied by ${decision.rule}: ${decision.reason}` };
      const validator = parsePlaybook(
        {
          name: "validator",
          steps: [{ name: "validator", command, timeout_seconds: timeoutSeconds ?? 300 }],
        },
        "validator",
      );
      const result = await runPlaybook(validator, { cwd: worktree, env, redactor, signal });
      const step = result.steps[0];
      return {
        ok: result.ok,
        detail: step ? `${step.status} (exit ${step.exitCode ?? "none"})\n${step.outputTail}` : "did not run",
      };
    },
  };
}

function schemaValidator(schema: Record<string, unknown>) {
  return newAjv(schemaDraft(schema, "draft-07")).compile(schema);
}

/** A schema given inline or as a file in the agent folder. */
async function loadSchema(agent: AgentDefinition, schema: unknown): Promise<Record<string, unknown>> {
  if (typeof schema === "string") {
    const file = resolve(agent.dir, schema);
    return JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  }
  return schema as Record<string, unknown>;
}

/** The JSON an agent declared: the last fenced ```json block of its message, else the whole message. */
export function extractJson(text: string | undefined): unknown {
  if (!text) return undefined;
  const fences = [...text.matchAll(/```(?:json)?\s*\n([\s\S]*?)```/g)];
  const candidates = [...fences.map((m) => m[1] ?? "").reverse(), text];
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate.trim());
    } catch {
      // Try the next candidate.
    }
  }
  return undefined;
}

/** Validates `value` against a JSON Schema; the detail lists every violation. */
export async function checkJsonSchema(
  agent: AgentDefinition,
  schemaRef: unknown,
  value: unknown,
): Promise<ConditionResult> {
  if (value === undefined)
    return { validator: "json-schema", passed: false, detail: "no JSON found in the answer" };
  const validate = schemaValidator(await loadSchema(agent, schemaRef));
  if (validate(value))
    return { validator: "json-schema", passed: true, detail: "the JSON matches the schema" };
  const problems = (validate.errors ?? []).map(
    (e) => `${e.instancePath || "$"} ${e.message ?? "is invalid"}`,
  );
  return { validator: "json-schema", passed: false, detail: `schema violations: ${problems.join("; ")}` };
}

function failingSteps(result: PlaybookResult): string {
  const bad = result.steps.filter((s) => s.status !== "passed" && s.status !== "skipped");
  return bad
    .map((s) => `${s.name}: ${s.status} (exit ${s.exitCode ?? "none"})\n${s.outputTail}`)
    .join("\n\n");
}

/** Evaluates one validator. Unknown names were refused when the agent was loaded. */
export async function evaluateCondition(
  condition: CompletionCondition,
  ctx: CompletionContext,
): Promise<ConditionResult> {
  const args = (condition.args ?? {}) as Record<string, unknown>;
  const name = condition.validator;
  const result = (passed: boolean, detail: string): ConditionResult => ({ validator: name, passed, detail });
  switch (name) {
    case "git-clean": {
      const status = await ctx.git.status();
      return status.length === 0
        ? result(true, "the worktree is clean")
        : result(false, `uncommitted changes: ${status.map((s) => s.path).join(", ")}`);
    }
    case "commits-ahead": {
      const min = typeof args.min === "number" ? args.min : 1;
      const count = (await ctx.git.revList(`${ctx.baseSha}..HEAD`)).length;
      return result(count >= min, `${count} commit(s) ahead of the base (need ${min})`);
    }
    case "tests-pass": {
      if (args.command !== undefined) {
        const run = await ctx.runCommand(args.command as string | string[]);
        return result(run.ok, run.ok ? "the test command passed" : `the test command failed:\n${run.detail}`);
      }
      const playbook =
        typeof args.playbook === "string" ? await ctx.runPlaybookFile(args.playbook) : ctx.playbookResult;
      if (!playbook)
        return result(
          false,
          "no playbook to run the tests (give --playbook or the validator's args.playbook)",
        );
      return playbook.ok
        ? result(true, "the tests passed")
        : result(false, `the tests failed:\n${failingSteps(playbook)}`);
    }
    case "file-exists": {
      const path = String(args.path ?? "");
      return existsSync(join(ctx.worktree, path))
        ? result(true, `${path} exists`)
        : result(false, `${path} does not exist`);
    }
    case "command-succeeds": {
      const timeout = typeof args.timeout_seconds === "number" ? args.timeout_seconds : 300;
      const run = await ctx.runCommand(args.command as string | string[], timeout);
      return result(run.ok, run.ok ? "the command succeeded" : `the command failed:\n${run.detail}`);
    }
    case "keyword-present": {
      const keyword = String(args.keyword ?? "");
      return (ctx.resultText ?? "").includes(keyword)
        ? result(true, `the answer contains ${keyword}`)
        : result(false, `the answer does not contain ${keyword}`);
    }
    case "json-schema": {
      const value =
        typeof args.path === "string"
          ? await readFile(join(ctx.worktree, args.path), "utf8").then(
              (t) => extractJson(t),
              () => undefined,
            )
          : extractJson(ctx.resultText);
      return { ...(await checkJsonSchema(ctx.agent, args.schema, value)), validator: name };
    }
    default:
      throw new ConfigError(`unknown validator "${name}"`, join(ctx.agent.dir, "agent.json"));
  }
}

export async function evaluateConditions(
  conditions: readonly CompletionCondition[],
  ctx: CompletionContext,
): Promise<ConditionResult[]> {
  const results: ConditionResult[] = [];
  for (const condition of conditions) results.push(await evaluateCondition(condition, ctx));
  return results;
}

/** What a custom completion handler module exports by default. */
export type CompletionHandler = (ctx: {
  worktree: string;
  resultText?: string;
  iteration: number;
  playbookOk?: boolean;
}) => boolean | { done: boolean; detail?: string } | Promise<boolean | { done: boolean; detail?: string }>;

/** Loads `completionHandler` from the agent folder and asks it. */
export async function runCustomHandler(
  agent: AgentDefinition,
  file: string,
  ctx: Parameters<CompletionHandler>[0],
): Promise<ConditionResult> {
  const module = (await import(pathToFileURL(resolve(agent.dir, file)).href)) as { default?: unknown };
  if (typeof module.default !== "function") {
    throw new ConfigError(
      `${file}: the completion handler must export a function as default`,
      join(agent.dir, file),
    );
  }
  const answer = await (module.default as CompletionHandler)(ctx);
  const done = typeof answer === "boolean" ? answer : answer.done;
  const detail =
    typeof answer === "object" && answer.detail
      ? answer.detail
      : done
        ? "handler says done"
        : "handler says not done";
  return { validator: "custom", passed: done, detail };
}
