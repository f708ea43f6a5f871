/**
 * `.github/handoff.yml`: a repository's Handoff settings, read by the app (through `context.config()`,
 * so `_extends` and the organisation's `.github` repository work), the Action and the CLI. One zod
 * schema; `handoff schema config` publishes it, docs/github-app.md documents every key.
 *
 * Objects are strict: a misspelt key is an error with its path, not a setting silently ignored.
 */
import { z } from "zod";
import { RepoFolder } from "./fields.js";
import { AgentRunsConfigShape } from "./agent-runs.js";
import { DEFAULT_QUEUE_DIR } from "../llm-tasks/queue-dir.js";
import { parseWith } from "../util/validate.js";

/** The file's name under `.github/` (what `context.config()` is given). */
export const CONFIG_FILE = "handoff.yml";
/** Where the file sits in a repository. */
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;
/** The branch the LLM-task queue lives on, unless the config says otherwise. */
export const DEFAULT_QUEUE_BRANCH = "handoff/llm-tasks";

// git check-ref-format's rules, the ones a config author can break: no spaces or control characters,
// no `..`, `~^:?*[\`, no leading `-` or `/`, no trailing `/`, `.` or `.lock`.
const BranchName = z
  .string()
  .min(1)
  .refine(
    (name) =>
      // eslint-disable-next-line no-control-regex -- control characters are exactly what git refuses
      !/[\s~^:?*[\\\x00-\x1f\x7f]|\.\.|@\{|\/\/|^[-/]|[/.]$|\.lock$|^@$/.test(name) &&
      !name.split("/").some((part) => part.startsWith(".")),
    { message: "not a valid git branch name" },
  );

/** The workflow dispatched after a `/complete`, so the pipeline reruns and picks the result up. */
export const RerunSchema = z.strictObject({
  /** Workflow file name (`pipeline.yml`) or id. */
  workflow: z.string().min(1).describe("Workflow file name (pipeline.yml) or id to dispatch"),
  /** Branch or tag to run it on (default: the repository's default branch). */
  ref: BranchName.optional().describe("Branch or tag to run the workflow on (default: the default branch)"),
  /** Extra workflow inputs (strings). Handoff adds none of its own. */
  inputs: z
    .record(z.string(), z.string())
    .default({})
    .describe("Workflow inputs, strings only (default: none)"),
});
export type RerunConfig = z.infer<typeof RerunSchema>;

/** Where the LLM-task queue lives on the forge and what happens after a task is answered. */
export const LlmTasksConfigSchema = z.strictObject({
  /** The branch holding the queue folder (created by `handoff queue push` when missing). */
  branch: BranchName.default(DEFAULT_QUEUE_BRANCH).describe(
    `The branch holding the LLM-task queue (default ${DEFAULT_QUEUE_BRANCH})`,
  ),
  /** The queue folder on that branch: `pending/` and `results/` sit inside it. */
  dir: RepoFolder.default(DEFAULT_QUEUE_DIR).describe(
    `The queue folder on that branch (default ${DEFAULT_QUEUE_DIR})`,
  ),
  /** Dispatch this workflow after a task is completed (default: none; rerun the pipeline yourself). */
  rerun: RerunSchema.nullable()
    .default(null)
    .describe("Workflow to dispatch after a /complete (default: none)"),
});
export type LlmTasksConfig = z.infer<typeof LlmTasksConfigSchema>;

export const HandoffConfigSchema = z
  .strictObject({
    /** Inherit from another repository's config (`owner/repo` or `owner/repo:path`); read by Probot. */
    _extends: z.string().optional().describe("Inherit settings from another repository's config"),
    /**
     * The least permission a sender needs for a command such as `/complete`: `admin`, `maintain`,
     * `write` (default) or `triage`. Read access never suffices.
     */
    permission: z
      .enum(["admin", "maintain", "write", "triage"])
      .default("write")
      .describe("Least permission a sender needs for /commands (default write)"),
    llm_tasks: LlmTasksConfigSchema.prefault({}).describe("The LLM-task queue on the forge"),
    // agents, dashboard, tasks, skills: the agent-run handlers' keys (src/config/agent-runs.ts).
    ...AgentRunsConfigShape,
  })
  .describe("Handoff repository config (.github/handoff.yml)");
export type HandoffConfig = z.infer<typeof HandoffConfigSchema>;

/**
 * Validates a parsed config (null or missing file: all defaults). Throws a ConfigError naming `source`
 * and listing every problem with its JSON path.
 */
export function parseHandoffConfig(data: unknown, source: string = CONFIG_PATH): HandoffConfig {
  return parseWith(HandoffConfigSchema, data ?? {}, source);
}

/** Every default, as a repository without `.github/handoff.yml` gets them. */
export function defaultHandoffConfig(): HandoffConfig {
  return parseHandoffConfig({});
}
