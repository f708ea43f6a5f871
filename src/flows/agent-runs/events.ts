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
import type { AgentRunsConfig } from "./config.js";
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

export async function onIssueLabeled(
  forge: Forge,
  load: ConfigLoader,
  event: LabelEvent,
): Promise<LabelOutcome | Invalid> {
  if (!MAYBE_AGENT_LABEL.test(event.label))
    return { kind: "ignored", reason: `${event.label} is not an agent label` };
  if (isBot(event.sender)) return { kind: "ignored", reason: `${event.sender.login} is a bot` };
  const config = await load();
  if (failed(config)) {
    await reply(
      forge,
      event.issue.number,
      { label: event.label, delivery: event.delivery ?? "local" },
      configReply(config),
    );
    return { kind: "invalid-config", problem: config };
  }
  const outcome = await startFromLabel(forge, config, event);
  await dashboard(forge, config, outcome.kind === "started" || outcome.kind === "dispatch_failed");
  return outcome;
}

export async function onCommentCreated(
  forge: Forge,
  load: ConfigLoader,
  event: CommentEvent,
): Promise<CommandOutcome | Invalid> {
  if (!parseAgentCommand(event.comment.body)) return { kind: "ignored", reason: "not a command" };
  if (isBot(event.sender)) return { kind: "ignored", reason: `${event.sender.login} is a bot` };
  const config = await load();
  if (failed(config)) {
    await reply(forge, event.issue.number, { comment: event.comment.id }, configReply(config));
    return { kind: "invalid-config", problem: config };
  }
  const outcome = await handleCommand(forge, config, event);
  await dashboard(forge, config, outcome.kind === "accepted");
  return outcome;
}

export async function onReviewSubmitted(
  forge: Forge,
  load: ConfigLoader,
  event: ReviewEvent,
): Promise<ReviewOutcome | Invalid> {
  if (event.review.state.toLowerCase() !== "changes_requested") {
    return { kind: "ignored", reason: `a ${event.review.state.toLowerCase()} review asks for no run` };
  }
  const config = await load();
  if (failed(config)) {
    await reply(forge, event.pull.number, { review: event.review.id }, configReply(config));
    return { kind: "invalid-config", problem: config };
  }
  const outcome = await rerunFromReview(forge, config, event);
  await dashboard(forge, config, outcome.kind === "started");
  return outcome;
}

/** Handoff's workflow files are named `handoff-*.yml` unless the config says otherwise. */
export async function onWorkflowRunEvent(
  forge: Forge,
  load: ConfigLoader,
  event: WorkflowRunEvent,
): Promise<WorkflowRunOutcome | Invalid> {
  const config = await load();
  // A workflow_run has no issue to answer on when the config is broken: the face logs it.
  if (failed(config)) return { kind: "invalid-config", problem: config };
  const outcome = await onWorkflowRun(forge, config, event);
  const rollbackEnded =
    event.action === "completed" && event.run.workflow === config.agents.rollback_workflow;
  await dashboard(forge, config, outcome.kind === "updated" || rollbackEnded);
  return outcome;
}

/** A push to the default branch touching the task folder, or a task's issue closing: sync the graph. */
export async function onTasksChanged(
  forge: Forge,
  load: ConfigLoader,
  trigger: { paths?: readonly string[]; ref?: string; closedTaskIssue?: boolean },
): Promise<TaskSyncReport | Invalid | { kind: "ignored"; reason: string }> {
  const config = await load();
  if (failed(config)) return { kind: "invalid-config", problem: config };
  const dir = `${config.tasks.dir}/`;
  if (trigger.paths && !trigger.closedTaskIssue && !trigger.paths.some((p) => p.startsWith(dir))) {
    return { kind: "ignored", reason: `the push leaves ${dir} alone` };
  }
  const report = await syncTaskGraph(forge, config, trigger.ref ? { ref: trigger.ref } : {});
  await dashboard(forge, config, report.created.length + report.started.length > 0);
  return report;
}
