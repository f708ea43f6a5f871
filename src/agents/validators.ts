import { z } from "zod";

/**
 * The completion validators an agent may name in `completionConditions` (steps_registry.json) and in
 * `completionConfig.validators` / `completionConfig.completionConditions`. The runner evaluates them in the
 * run's worktree after each iteration; this module only declares their names and arguments, so a
 * definition with a typo fails at load instead of at the end of a long run.
 */

const Command = z.union([
  z.string().min(1).describe("A shell command string; the execution policy checks it."),
  z.array(z.string()).min(1).describe("An argv array: program then arguments."),
]);

const RelativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."), {
    message: "must be a relative path that stays inside the worktree",
  });

/** One validator: what it checks and the zod schema of its `args`. */
export interface ValidatorSpec {
  description: string;
  args: z.ZodType;
}

export const KNOWN_VALIDATORS = {
  "git-clean": {
    description: "The worktree has no uncommitted or untracked changes (`git status --porcelain` is empty).",
    args: z.object({}).strict(),
  },
  "commits-ahead": {
    description: "The run's branch has at least `min` commits that the base branch does not have.",
    args: z
      .object({ min: z.number().int().min(1).default(1).describe("Minimum number of new commits.") })
      .strict(),
  },
  "tests-pass": {
    description:
      "The tests pass: the playbook at `playbook` (default: the run's playbook) or `command` exits 0.",
    args: z
      .object({
        playbook: RelativePath.optional().describe("Playbook file, relative to the worktree."),
        command: Command.optional(),
      })
      .strict(),
  },
  "file-exists": {
    description: "The file `path` (relative to the worktree) exists.",
    args: z
      .object({ path: RelativePath.describe("File that must exist, relative to the worktree.") })
      .strict(),
  },
  "command-succeeds": {
    description: "`command` exits 0 in the worktree within `timeout_seconds` (default 300).",
    args: z
      .object({
        command: Command,
        timeout_seconds: z.number().positive().optional().describe("Kill the command after this long."),
      })
      .strict(),
  },
  "keyword-present": {
    description: "The agent's final message contains `keyword`.",
    args: z.object({ keyword: z.string().min(1).describe("Text the final message must contain.") }).strict(),
  },
  "json-schema": {
    description:
      "The agent's final message (or the file `path` in the worktree) is JSON that matches the JSON Schema `schema` (inline, or a file in the agent folder).",
    args: z
      .object({
        schema: z
          .union([z.string().min(1), z.record(z.string(), z.unknown())])
          .describe("JSON Schema object, or a path relative to the agent folder."),
        path: RelativePath.optional().describe(
          "JSON file in the worktree to check instead of the final message.",
        ),
      })
      .strict(),
  },
} as const satisfies Record<string, ValidatorSpec>;

export type ValidatorName = keyof typeof KNOWN_VALIDATORS;
export const VALIDATOR_NAMES = Object.keys(KNOWN_VALIDATORS) as ValidatorName[];

export function isKnownValidator(name: string): name is ValidatorName {
  return Object.hasOwn(KNOWN_VALIDATORS, name);
}

/** A reference to a validator with its arguments: `{ "validator": "file-exists", "args": { "path": "x" } }`. */
export const CompletionConditionSchema = z
  .object({
    validator: z
      .string()
      .min(1)
      .describe(`Validator name: ${VALIDATOR_NAMES.join(", ")}.`),
    args: z.record(z.string(), z.unknown()).optional().describe("Arguments for the validator."),
  })
  .strict();
export type CompletionCondition = z.infer<typeof CompletionConditionSchema>;
