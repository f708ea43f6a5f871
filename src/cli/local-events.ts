/**
 * The app's handlers offline: the local forge has no webhooks, so right after `handoff issue label`,
 * `issue comment`, `issue close` or `pr review` on the local forge, the CLI plays GitHub's part and hands
 * the event to the same flows the app runs on the webhook (src/flows/llm-tasks/events.ts for `/complete`,
 * src/flows/agent-runs/events.ts for agents). The handlers act as the forge's own user, the way the app
 * acts as itself. The local forge's dispatch runs the workflow's work at once (src/flows/local-dispatch.ts:
 * the agent's run, or the rollback), with progress on stderr, and its workflow-run hook feeds
 * `workflow_run` back to the status flow, so the command returns with the status final.
 */
import { resolve } from "node:path";
import {
  type ConfigLoader,
  onWorkflowRunEvent,
  onIssueLabeled,
  onCommentCreated,
  onTasksChanged,
  onReviewSubmitted,
} from "../flows/agent-runs/events.js";
import type { Forge, ForgeComment } from "../forge/types.js";
import { onCommentCreated as onTaskComment } from "../flows/llm-tasks/events.js";
import { type ForgeFlags, openForge } from "./forge.js";
import { withProblems } from "./output.js";
import { loadHandoffConfig } from "../config/index.js";
import { ConfigError } from "../errors.js";
import { localDispatcher } from "../flows/local-dispatch.js";
import { statusOf } from "../flows/agent-runs/start.js";
import { isActive } from "../flows/agent-runs/status.js";
import { issueOfHead } from "../flows/agent-runs/review.js";
import { TASK_LABEL } from "../flows/task-graph/sync.js";

/**
 * The repository's `.github/handoff.yml`, a validation failure returned rather than thrown: the whole
 * config, which both the agent-run and the LLM-task handlers take.
 */
function configLoader(root: string) {
  return () =>
    loadHandoffConfig(root).catch((error: unknown) => {
      if (!(error instanceof ConfigError)) throw error;
      return { message: error.message, problems: [...error.problems] };
    });
}

async function localHandlers(flags: ForgeFlags): Promise<{ forge: Forge; load: ConfigLoader }> {
  const root = resolve(flags.repo ?? process.cwd());
  const load = configLoader(root);
  const forge: Forge = await openForge(
    { ...flags, as: undefined },
    {
      onWorkflowRun: async (action, run) => void (await onWorkflowRunEvent(forge, load, { action, run })),
      dispatcher: localDispatcher({
        repo: root,
        load,
        // The policy hook runs this very CLI.
        handoffCli: resolve(process.argv[1] ?? "handoff"),
        progress: (line) => process.stderr.write(`${line}\n`),
      }),
    },
  );
  return { forge, load };
}

/**
 * How the run the handler just started ended: the local forge ran it at once, so the issue's status
 * is final by now. A failed run makes the command fail (exit 1), as a script would expect.
 */
async function runEnding(forge: Forge, issue: number): Promise<string> {
  const data = (await statusOf(forge, issue))?.data;
  if (!data) return "";
  if (data.state !== "success" && !isActive(data.state)) process.exitCode = 1;
  const links = [
    data.runId !== null ? `run ${data.runId}` : null,
    data.prUrl ? `pull request ${data.prUrl}` : null,
  ].filter(Boolean);
  return `; ${isActive(data.state) ? "now" : "ended"} ${data.state}${links.length ? ` (${links.join(", ")})` : ""}`;
}

/** How the newest run of `workflow` ended (a rollback's). */
async function workflowEnding(forge: Forge, workflow: string): Promise<string> {
  const [run] = await forge.listWorkflowRuns({ workflow, limit: 1 });
  if (!run) return "";
  if (run.status === "completed" && run.conclusion !== "success") process.exitCode = 1;
  return `; run ${run.id} ${run.status === "completed" ? `ended ${run.conclusion ?? "without a conclusion"}` : `is ${run.status}`}`;
}

/** Who the CLI's user is on the local forge: `--as`, else the forge's own user. */
async function sender(flags: ForgeFlags) {
  const forge = await openForge(flags);
  return { login: (forge as { actor?: string }).actor ?? "local", type: "User" };
}

/** Runs the label handler for labels just added on the local forge; returns lines to print. */
export async function afterLocalLabels(
  flags: ForgeFlags,
  issue: number,
  labels: readonly string[],
): Promise<string[]> {
  const { forge, load } = await localHandlers(flags);
  const who = await sender(flags);
  const lines: string[] = [];
  for (const label of labels) {
    const outcome = await onIssueLabeled(forge, load, { issue: { number: issue }, label, sender: who });
    if (outcome.kind === "ignored") continue;
    if (outcome.kind === "started")
      lines.push(`${label}: dispatched the agent workflow for #${issue}${await runEnding(forge, issue)}`);
    else if (outcome.kind === "refused") {
      process.exitCode = 1;
      lines.push(`${label}: refused: ${withProblems(outcome.reason, outcome.problems)}`);
    } else if (outcome.kind === "invalid-config") {
      process.exitCode = 1;
      lines.push(`${label}: refused: ${withProblems(outcome.problem.message, outcome.problem.problems)}`);
    } else if (outcome.kind === "dispatch_failed") {
      process.exitCode = 1;
      lines.push(`${label}: ${outcome.message}`);
    }
  }
  return lines;
}

/** Runs the command handler for a comment just made on the local forge; returns a line to print. */
export async function afterLocalCommand(
  flags: ForgeFlags,
  issue: number,
  comment: ForgeComment,
): Promise<string | null> {
  const { forge, load } = await localHandlers(flags);
  const target = await forge.getIssue(issue);
  const outcome = await onCommentCreated(forge, load, {
    issue: { number: issue, isPullRequest: target.isPullRequest },
    comment: { id: comment.id, body: comment.body },
    sender: comment.author,
  });
  switch (outcome.kind) {
    case "ignored":
      return null;
    case "accepted": {
      let ending = "";
      if (outcome.command === "retry") {
        // On a Handoff PR the run is the issue's that its branch belongs to.
        const owner = target.isPullRequest ? issueOfHead((await forge.getPullRequest(issue)).head) : issue;
        if (owner !== null) ending = await runEnding(forge, owner);
      }
      if (outcome.command === "rollback") {
        const config = await load();
        if (!("problems" in config)) ending = await workflowEnding(forge, config.agents.rollback_workflow);
      }
      return `/${outcome.command}: ${outcome.detail}${ending}`;
    }
    case "help":
      return `/${outcome.word} is not a command (the reply on #${issue} lists them)`;
    case "refused":
      process.exitCode = 1;
      return `/${outcome.command} refused: ${outcome.reason}`;
    case "invalid-config":
      process.exitCode = 1;
      return `refused: ${withProblems(outcome.problem.message, outcome.problem.problems)}`;
  }
}

/**
 * Runs the `issues.closed` handler for a task's issue just closed on the local forge: the tasks that
 * waited on it start (their agents run at once, as any dispatch does offline). Returns lines to print.
 */
export async function afterLocalClose(flags: ForgeFlags, labels: readonly string[]): Promise<string[]> {
  if (!labels.includes(TASK_LABEL.name)) return [];
  const { forge, load } = await localHandlers(flags);
  return taskGraphLines(forge, load, { closedTaskIssue: true });
}

/**
 * `handoff tasks sync`: the task-graph sync the app runs on a push to the default branch. On the local
 * forge the started tasks' agents run at once; with `--forge github` it dispatches on GitHub.
 */
export async function syncTasksNow(flags: ForgeFlags, ref?: string): Promise<string[]> {
  if (flags.forge !== "github") {
    const { forge, load } = await localHandlers(flags);
    return taskGraphLines(forge, load, ref ? { ref } : {});
  }
  return taskGraphLines(
    await openForge(flags),
    configLoader(resolve(flags.repo ?? process.cwd())),
    ref ? { ref } : {},
  );
}

async function taskGraphLines(
  forge: Forge,
  load: ConfigLoader,
  trigger: { closedTaskIssue?: boolean; ref?: string },
): Promise<string[]> {
  const report = await onTasksChanged(forge, load, trigger);
  if (!("created" in report)) {
    if (report.kind === "invalid-config") {
      process.exitCode = 1;
      return [`task graph: ${withProblems(report.problem.message, report.problem.problems)}`];
    }
    return [];
  }
  const lines = report.created.map((c) => `task ${c.taskId}: opened #${c.issue}`);
  for (const n of report.updated) lines.push(`task issue #${n}: updated`);
  for (const s of report.started)
    lines.push(`task ${s.taskId}: started ${s.agent} on #${s.issue}${await runEnding(forge, s.issue)}`);
  for (const p of report.problems)
    lines.push(`task graph: ${p.taskId ? `task ${p.taskId} ` : ""}${p.message}`);
  return lines;
}

/**
 * Runs the `pull_request_review.submitted` handler for a review just submitted on the local forge:
 * changes requested on a Handoff PR send the issue's agent round again (the run happens at once).
 */
export async function afterLocalReview(
  flags: ForgeFlags,
  pull: { number: number; head: string; url: string },
  review: { id: number; state: string },
): Promise<string | null> {
  const { forge, load } = await localHandlers(flags);
  const outcome = await onReviewSubmitted(forge, load, { pull, review, sender: await sender(flags) });
  switch (outcome.kind) {
    case "ignored":
      return null;
    case "started": {
      const issue = issueOfHead(pull.head);
      const ending = issue === null ? "" : await runEnding(forge, issue);
      return `changes requested: dispatched ${outcome.status.agent} again for #${issue ?? "?"} with this review${ending}`;
    }
    case "refused":
      process.exitCode = 1;
      return `refused: ${outcome.reason}`;
    case "busy":
      process.exitCode = 1;
      return `refused: a run of \`${outcome.status.agent}\` is already ${outcome.status.state}`;
    case "redelivered":
      return null;
    case "dispatch_failed":
      process.exitCode = 1;
      return outcome.message;
    case "invalid-config":
      process.exitCode = 1;
      return `refused: ${withProblems(outcome.problem.message, outcome.problem.problems)}`;
  }
}

/**
 * The LLM-task `/complete` handler (src/flows/llm-tasks/events.ts) for a comment just made on the local
 * forge; returns a line to print, or null when the comment is not an answer to a task.
 */
export async function afterLocalComment(
  flags: ForgeFlags,
  issue: number,
  comment: ForgeComment,
): Promise<string | null> {
  const forge = await openForge({ ...flags, as: undefined });
  const target = await forge.getIssue(issue);
  const outcome = await onTaskComment(forge, configLoader(resolve(flags.repo ?? process.cwd())), {
    issue: {
      number: target.number,
      body: target.body,
      state: target.state,
      isPullRequest: target.isPullRequest,
    },
    comment: { id: comment.id, body: comment.body },
    sender: comment.author,
  });
  switch (outcome.kind) {
    case "ignored":
      return null;
    case "completed":
      return `completed ${outcome.id}: ${outcome.path} on the queue branch; #${issue} closed (handoff queue pull brings it here)`;
    case "duplicate":
      return `this comment was already handled`;
    case "refused":
      process.exitCode = 1;
      return `refused: ${withProblems(outcome.reason, outcome.problems)} (see the reply on #${issue})`;
    case "invalid-config":
      process.exitCode = 1;
      return `refused: ${withProblems(outcome.problem.message, outcome.problem.problems)}`;
  }
}
