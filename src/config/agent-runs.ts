/**
 * The `.github/handoff.yml` keys the agent-run handlers read: which label starts which agent, which
 * workflows they dispatch, the dashboard and the task graph. One zod schema per key; the repository
 * config schema (src/config/schema.ts) composes them, and docs/github-app.md documents every default.
 */
import { z } from "zod";
import { RepoFolder } from "./fields.js";
import type { Permission } from "../forge/types.js";

/** The workflow Handoff's app dispatches to run an agent on an issue (issue #9's `handoff-agent.yml`). */
export const DEFAULT_AGENT_WORKFLOW = "handoff-agent.yml";
/** The workflow `/rollback` dispatches (`handoff-rollback.yml`). */
export const DEFAULT_ROLLBACK_WORKFLOW = "handoff-rollback.yml";
/** Labels `agent:<name>` start an agent. */
export const DEFAULT_AGENT_LABEL_PREFIX = "agent:";
/** The label an issue carries while an agent's run is queued or running. */
export const DEFAULT_RUNNING_LABEL = "handoff:running";
/** Where task files (one job of a spec each) live in the repository. */
export const DEFAULT_TASKS_DIR = ".handoff/tasks";

const WorkflowFile = z
  .string()
  .min(1)
  .regex(/^[\w.-]+\.ya?ml$|^\d+$/, "a workflow file name under .github/workflows (name.yml) or an id");

const LabelName = z
  .string()
  .min(1)
  .max(50, "GitHub labels are at most 50 characters")
  .refine((s) => s.trim() === s && !s.includes(","), "no surrounding spaces or commas");

/** How issues start agents: the label, the workflows dispatched and the label shown while running. */
export const AgentsConfigSchema = z.strictObject({
  /** A label `<prefix><name>` starts agent `<name>` (default `agent:`). */
  label_prefix: LabelName.refine((p) => /^[^:]+:$/.test(p), "must be a word ending in one ':' (agent:, run:)")
    .default(DEFAULT_AGENT_LABEL_PREFIX)
    .describe(`Labels <prefix><agent> start that agent (default ${DEFAULT_AGENT_LABEL_PREFIX})`),
  /** Shown on an issue while its agent's run is queued or running (default `handoff:running`). */
  running_label: LabelName.default(DEFAULT_RUNNING_LABEL).describe(
    `Label an issue carries while its run is queued or running (default ${DEFAULT_RUNNING_LABEL})`,
  ),
  /** The workflow dispatched with inputs `issue`, `agent`, `reason`, `review-id`. */
  workflow: WorkflowFile.default(DEFAULT_AGENT_WORKFLOW).describe(
    `Workflow dispatched to run an agent (default ${DEFAULT_AGENT_WORKFLOW})`,
  ),
  /** The workflow `/rollback` dispatches with inputs `issue` or `branch`, `checkpoint`, `strategy`. */
  rollback_workflow: WorkflowFile.default(DEFAULT_ROLLBACK_WORKFLOW).describe(
    `Workflow /rollback dispatches (default ${DEFAULT_ROLLBACK_WORKFLOW})`,
  ),
  /** Branch the workflows run on (default: the repository's default branch). */
  ref: z
    .string()
    .min(1)
    .nullable()
    .default(null)
    .describe("Branch the workflows run on (default: the default branch)"),
});
export type AgentsConfig = z.infer<typeof AgentsConfigSchema>;

/** Task files become issues, and start when their dependencies are done. */
export const TasksConfigSchema = z.strictObject({
  /** Folder of `*.yaml` task files on the default branch (default `.handoff/tasks`). */
  dir: RepoFolder.default(DEFAULT_TASKS_DIR).describe(
    `Folder of *.yaml task files (default ${DEFAULT_TASKS_DIR})`,
  ),
});
export type TasksConfig = z.infer<typeof TasksConfigSchema>;

const AgentName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "an agent name (lower-case letters, digits, . _ -)");

/** The config keys the agent-run flows read, beside the repository config's `permission`. */
export const AgentRunsConfigShape = {
  agents: AgentsConfigSchema.prefault({}).describe("How labels start agents and which workflows run them"),
  /** Keep one dashboard issue up to date (default false). */
  dashboard: z.boolean().default(false).describe("Keep one dashboard issue up to date (default false)"),
  tasks: TasksConfigSchema.prefault({}).describe("Task files that become issues (one job of a spec each)"),
  /** `required_skill` of a task → the agent that does it, e.g. `backend: claude-code` (default none). */
  skills: z
    .record(z.string().min(1), AgentName)
    .default({})
    .describe("required_skill of a task -> the agent that does it (default: none)"),
};

/** What the flows in this folder need from the repository config. */
export interface AgentRunsConfig {
  /** Least permission a sender needs to start, re-run, roll back or stop an agent. */
  permission: Exclude<Permission, "read" | "none">;
  agents: AgentsConfig;
  dashboard: boolean;
  tasks: TasksConfig;
  skills: Record<string, string>;
}

/** Every default, for tests and for a repository without a config file. */
export function defaultAgentRunsConfig(overrides: Partial<AgentRunsConfig> = {}): AgentRunsConfig {
  const parsed = z.strictObject(AgentRunsConfigShape).parse({});
  return { permission: "write", ...parsed, ...overrides };
}
