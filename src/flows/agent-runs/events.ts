/**
 * Forge events → the agent-run flows, the same for every face: the Probot app adapts a webhook to
 * these, the CLI calls them right after it labels or comments on the local forge, and the local
 * forge's workflow-run hook calls `onWorkflowRunEvent`. Each event first costs nothing (a label that
 * is no agent label, a comment that is no command, another workflow), then loads the config; an
 * invalid config is answered where there is somewhere to answer, and nothing else happens. After an
 * effect, the dashboard is refreshed when the config asks for it.
 */
import type { Forge } from "../../forge/types.js";
import { refreshDashboard } from "../dashboard/dashboard.js";
import { syncTaskGraph, type TaskSyncReport } from "../task-graph/sync.js";
import { parseAgentCommand } from "./command-parse.js";
import { type CommandOutcome, type CommentEvent, handleCommand } from "./commands.js";
import type { AgentRunsConfig } from "../../config/agent-runs.js";
import { type LabelEvent, type LabelOutcome, startFromLabel } from "./label.js";
import { type ReviewEvent, type ReviewOutcome, rerunFromReview } from "./review.js";
import { isBot, reply } from "./sender.js";
import { type WorkflowRunEvent, type WorkflowRunOutcome, onWorkflowRun } from "./workflow-run.js";

/** A config that failed to load or validate (the shape the app's config loader returns). */
export interface ConfigFailure {
  message: string;
  problems: string[];
}

/** Loads the repository config lazily: most events are decided before it is needed. */
export type ConfigLoader = () => Promise<AgentRunsConfig | ConfigFailure>;

export type Invalid = { kind: "invalid-config"; problem: ConfigFailure };

function failed(value: AgentRunsConfig | ConfigFailure): value is ConfigFailure {
  return "problems" in value && "message" in value;
}

function configReply(problem: ConfigFailure): string {
  const list = problem.problems.map((p) => `- \`${p}\``).join("\n");
  return `Handoff did nothing: ${problem.message}.${list ? `\n\n${list}` : ""}\n\nFix .github/handoff.yml (\`handoff schema config\` prints its JSON Schema).`;
}

async function dashboard(forge: Forge, config: AgentRunsConfig, changed: boolean): Promise<void> {
  if (changed && config.dashboard) await refreshDashboard(forge, config);
}

/** Label prefixes are configurable, but every one ends in `:`; this spares loading the config. */
const MAYBE_AGENT_LABEL = /^[^:]+:.+/;

/**
 * Loads the config and hands it to `handle`, refreshing the dashboard when `changed` says the outcome
 * changed something. A broken config does nothing else: it is answered through `answer` where the
 * event has somewhere to answer (a workflow run or a push has none: the face logs it).
 */
async function withConfig<T>(
  forge: Forge,
  load: ConfigLoader,
  answer: ((text: string) => Promise<unknown>) | null,
  handle: (config: AgentRunsConfig) => Promise<T>,
  changed: (outcome: T, config: AgentRunsConfig) => boolean,
): Promise<T | Invalid> {
  const config = await load();
  if (failed(config)) {
    await answer?.(configReply(config));
    return { kind: "invalid-config", problem: config };
  }
  const outcome = await handle(config);
  await dashboard(forge, config, changed(outcome, config));
  return outcome;
}

export async function onIssueLabeled(
  forge: Forge,
  load: ConfigLoader,
  event: LabelEvent,
): Promise<LabelOutcome | Invalid> {
  if (!MAYBE_AGENT_LABEL.test(event.label))
    return { kind: "ignored", reason: `${event.label} is not an agent label` };
  if (isBot(event.sender)) return { kind: "ignored", reason: `${event.sender.login} is a bot` };
  const where = { label: event.label, delivery: event.delivery ?? "local" };
  return withConfig(
    forge,
    load,
    (text) => reply(forge, event.issue.number, where, text),
    (config) => startFromLabel(forge, config, event),
    (outcome) => outcome.kind === "started" || outcome.kind === "dispatch_failed",
  );
}

export async function onCommentCreated(
  forge: Forge,
  load: ConfigLoader,
  event: CommentEvent,
): Promise<CommandOutcome | Invalid> {
  if (!parseAgentCommand(event.comment.body)) return { kind: "ignored", reason: "not a command" };
  if (isBot(event.sender)) return { kind: "ignored", reason: `${event.sender.login} is a bot` };
  return withConfig(
    forge,
    load,
    (text) => reply(forge, event.issue.number, { comment: event.comment.id }, text),
    (config) => handleCommand(forge, config, event),
    (outcome) => outcome.kind === "accepted",
  );
}

export async function onReviewSubmitted(
  forge: Forge,
  load: ConfigLoader,
  event: ReviewEvent,
): Promise<ReviewOutcome | Invalid> {
  if (event.review.state.toLowerCase() !== "changes_requested") {
    return { kind: "ignored", reason: `a ${event.review.state.toLowerCase()} review asks for no run` };
  }
  return withConfig(
    forge,
    load,
    (text) => reply(forge, event.pull.number, { review: event.review.id }, text),
    (config) => rerunFromReview(forge, config, event),
    (outcome) => outcome.kind === "started",
  );
}

/** Handoff's workflow files are named `handoff-*.yml` unless the config says otherwise. */
export async function onWorkflowRunEvent(
  forge: Forge,
  load: ConfigLoader,
  event: WorkflowRunEvent,
): Promise<WorkflowRunOutcome | Invalid> {
  return withConfig(
    forge,
    load,
    null,
    (config) => onWorkflowRun(forge, config, event),
    (outcome, config) =>
      outcome.kind === "updated" ||
      (event.action === "completed" && event.run.workflow === config.agents.rollback_workflow),
  );
}

/** A push to the default branch touching the task folder, or a task's issue closing: sync the graph. */
export async function onTasksChanged(
  forge: Forge,
  load: ConfigLoader,
  trigger: { paths?: readonly string[]; ref?: string; closedTaskIssue?: boolean },
): Promise<TaskSyncReport | Invalid | { kind: "ignored"; reason: string }> {
  return withConfig(
    forge,
    load,
    null,
    async (config): Promise<TaskSyncReport | { kind: "ignored"; reason: string }> => {
      const dir = `${config.tasks.dir}/`;
      if (trigger.paths && !trigger.closedTaskIssue && !trigger.paths.some((p) => p.startsWith(dir))) {
        return { kind: "ignored", reason: `the push leaves ${dir} alone` };
      }
      return syncTaskGraph(forge, config, trigger.ref ? { ref: trigger.ref } : {});
    },
    (report) => "created" in report && report.created.length + report.started.length > 0,
  );
}
