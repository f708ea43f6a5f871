/**
 * The action's inputs: one zod schema over the raw `INPUT_*` strings, so every input is parsed and
 * checked in one place and a bad value is reported with the input's name.
 */
import { z } from "zod";
import { UsageError } from "../errors.js";

/** Every input of action.yml, as the runner passes it (`INPUT_<NAME>`, hyphens kept). */
export const INPUT_NAMES = [
  "mode",
  "issue",
  "agent",
  "reason",
  "review-id",
  "github-token",
  "branch",
  "checkpoint",
  "strategy",
  "base",
  "max-iterations",
  "summary-file",
  "parameters",
  "agent-cli-version",
  "draft",
  "reviewers",
  "labels",
  "required-permission",
  "working-directory",
  "upload-evidence",
  "queue-dir",
  "queue-branch",
  "in-place",
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

const optional = <T extends z.ZodType>(schema: T) => schema.optional();

const positiveInteger = z
  .string()
  .regex(/^[1-9][0-9]*$/, "must be a positive whole number")
  .transform(Number);

const boolean = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.enum(["true", "false"], { message: "must be true or false" }))
  .transform((value) => value === "true");

const list = z.string().transform((value) =>
  value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean),
);

const branchName = z
  .string()
  .regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/, "must be a branch name (letters, digits, . _ / -)");

/** Checkpoint tags, the form of `handoff/checkpoint/<issue>/<n>` or `handoff/checkpoint/manual/<name>`. */
const CHECKPOINT_TAG = /^handoff\/checkpoint\/[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A new checkpoint's name: one ref-name component. */
const CHECKPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const MODES = [
  "run",
  "test",
  "cleanrun",
  "checkpoint",
  "rollback",
  "sync-tasks",
  "fetch-results",
] as const;
export type ActionMode = (typeof MODES)[number];

export const ActionInputsSchema = z
  .object({
    mode: z.enum(MODES, { message: `must be one of ${MODES.join(", ")}` }).default("run"),
    issue: optional(positiveInteger),
    agent: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be an agent name (letters, digits, . _ -)")
      .default("claude-code"),
    reason: z
      .enum(["label", "review", "retry", "dispatch"], { message: "must be label, review, retry or dispatch" })
      .default("dispatch"),
    "review-id": optional(positiveInteger),
    "github-token": z.string().default(""),
    branch: optional(branchName),
    checkpoint: optional(z.string()),
    strategy: z.enum(["reset", "revert"], { message: "must be reset or revert" }).default("reset"),
    base: optional(z.string().regex(/^(?!-)[A-Za-z0-9._/-]+$/, "must be a branch name")),
    "max-iterations": optional(positiveInteger),
    "summary-file": optional(z.string()),
    parameters: optional(z.string()),
    "agent-cli-version": optional(
      z.string().regex(/^[0-9A-Za-z.+-]+$/, "must be an exact npm version such as 2.1.197"),
    ),
    draft: optional(boolean).transform((value) => value ?? false),
    reviewers: optional(list).transform((value) => value ?? []),
    labels: optional(list).transform((value) => value ?? []),
    "required-permission": z
      .enum(["admin", "maintain", "write", "triage", "read"], {
        message: "must be admin, maintain, write, triage or read",
      })
      .default("write"),
    "working-directory": z.string().default("."),
    "upload-evidence": optional(boolean).transform((value) => value ?? true),
    /** run, cleanrun: work in the job's clean checkout (switched to the issue branch), not a worktree. */
    "in-place": optional(boolean).transform((value) => value ?? true),
    /** sync-tasks, fetch-results: the local queue folder (default LLM_AGENT_QUEUE_DIR, else the CLI's). */
    "queue-dir": optional(z.string()),
    /** sync-tasks, fetch-results: the queue branch (default `.github/handoff.yml` `llm_tasks.branch`). */
    "queue-branch": optional(branchName),
  })
  .superRefine((inputs, ctx) => {
    const needsIssue = inputs.mode === "run" || inputs.mode === "cleanrun";
    if (needsIssue && inputs.issue === undefined)
      ctx.addIssue({ code: "custom", path: ["issue"], message: `is required in mode ${inputs.mode}` });
    if (inputs.reason === "review" && inputs["review-id"] === undefined && needsIssue)
      ctx.addIssue({ code: "custom", path: ["review-id"], message: "is required with reason review" });
    const checkpoint = inputs.checkpoint;
    if (checkpoint !== undefined && inputs.mode === "rollback" && !CHECKPOINT_TAG.test(checkpoint))
      ctx.addIssue({
        code: "custom",
        path: ["checkpoint"],
        message: "must be a checkpoint tag such as handoff/checkpoint/12/3",
      });
    if (checkpoint !== undefined && inputs.mode === "checkpoint" && !CHECKPOINT_NAME.test(checkpoint))
      ctx.addIssue({
        code: "custom",
        path: ["checkpoint"],
        message: "must be a checkpoint name (letters, digits, . _ -)",
      });
    if ((inputs.mode === "rollback" || inputs.mode === "checkpoint") && !inputs.issue && !inputs.branch)
      ctx.addIssue({
        code: "custom",
        path: ["issue"],
        message: `or branch is required in mode ${inputs.mode}`,
      });
  });
export type ActionInputs = z.output<typeof ActionInputsSchema>;

/** The raw value of an input as the runner passes it: `INPUT_<NAME>` with spaces as `_`, upper case. */
export function rawInput(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/** Parses every input; the first problem is thrown as a UsageError naming the input. */
export function parseInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const raw: Record<string, string | undefined> = {};
  for (const name of INPUT_NAMES) {
    const value = rawInput(env, name);
    // The runner passes every declared input, set or not: an empty one takes the schema's default.
    raw[name] = value === "" ? undefined : value;
  }
  const result = ActionInputsSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "inputs");
    return `input \`${name}\` ${issue.message.replace(/^Invalid input: /, "")}`;
  });
  throw new UsageError(problems.length === 1 ? problems[0]! : problems.join("; "));
}
