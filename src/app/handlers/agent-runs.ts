/**
 * The agent-run handlers: webhooks adapted to the event flows of src/flows/agent-runs/events.ts
 * (labels start agents, reviews re-run them, workflow runs end their status, a task's issue closing
 * may start the tasks waiting on it). Each adapter reads only what the flow needs from the payload.
 */
import { basename } from "node:path";
import type { Context } from "probot";
import {
  onIssueLabeled,
  onReviewSubmitted,
  onTasksChanged,
  onWorkflowRunEvent,
} from "../../flows/agent-runs/events.js";
import { TASK_LABEL } from "../../flows/task-graph/sync.js";
import { issueOfRunTitle } from "../../forge/run-title.js";
import { DEFAULT_AGENT_LABEL_PREFIX } from "../../config/agent-runs.js";
import { REPO_AGENTS_DIR } from "../../flows/agent-runs/agent-check.js";
import type { ReadAhead } from "../../forge/types.js";
import { forgeOf, loadConfig } from "../context.js";

type Outcome = { kind: string; reason?: string };

function logOutcome(context: Pick<Context, "log">, what: string, outcome: Outcome): void {
  const detail = outcome.kind === "ignored" ? `ignored (${outcome.reason ?? ""})` : outcome.kind;
  context.log[outcome.kind === "ignored" ? "debug" : "info"](`${what}: ${detail}`);
}

/** `issues.labeled` with `agent:<name>` → start the agent (src/flows/agent-runs/label.ts). */
export async function onLabeled(context: Context<"issues.labeled">): Promise<void> {
  const { payload } = context;
  const label = payload.label?.name ?? "";
  const forge = forgeOf(context);
  forge.knowNodeIds({ issues: { [payload.issue.number]: payload.issue.node_id } });
  // Read with the config: the agent's folder at the default branch (every label prefix ends in its
  // first `:`), the issue's comments (the status comment; and the issue's GraphQL id) and the labels'
  // ids, so the status comment and `handoff:running` are then written in one request.
  const reads: ReadAhead = {
    folders: [
      {
        path: `${REPO_AGENTS_DIR}/${label.slice(label.indexOf(":") + 1)}`,
        ref: payload.repository.default_branch,
      },
    ],
    comments: [payload.issue.number],
    labels: true,
  };
  const load = () => {
    // A label of the default agent prefix is checked against its sender next: ask beside the read.
    if (label.startsWith(DEFAULT_AGENT_LABEL_PREFIX))
      forge.getPermission(payload.sender.login).catch(() => undefined);
    return loadConfig(context, forge, reads);
  };
  const outcome = await onIssueLabeled(forge, load, {
    issue: {
      number: payload.issue.number,
      isPullRequest: Boolean(payload.issue.pull_request),
      comments: payload.issue.comments,
    },
    label,
    sender: { login: payload.sender.login, type: payload.sender.type },
    delivery: context.id,
    defaultBranch: payload.repository.default_branch,
  });
  logOutcome(context, `label ${label} on #${payload.issue.number}`, outcome);
}

/** `pull_request_review.submitted` → changes requested on a Handoff PR re-runs its agent. */
export async function onReview(context: Context<"pull_request_review.submitted">): Promise<void> {
  const { payload } = context;
  const outcome = await onReviewSubmitted(forgeOf(context), () => loadConfig(context), {
    pull: {
      number: payload.pull_request.number,
      head: payload.pull_request.head.ref,
      url: payload.pull_request.html_url,
    },
    review: { id: payload.review.id, state: payload.review.state },
    sender: { login: payload.sender.login, type: payload.sender.type },
    delivery: context.id,
    defaultBranch: payload.repository.default_branch,
  });
  logOutcome(context, `review ${payload.review.id} on #${payload.pull_request.number}`, outcome);
}

/** `workflow_run.in_progress|completed` of the agent workflow → the sticky status comment. */
export async function onWorkflowRun(
  context: Context<"workflow_run.in_progress"> | Context<"workflow_run.completed">,
): Promise<void> {
  const run = context.payload.workflow_run;
  // Older payload types lack display_title; GitHub sends it (the run-name of Handoff's workflows).
  const title = ("display_title" in run ? run.display_title : undefined) ?? run.name ?? "";
  // Most workflow runs (CI) are not Handoff's: a title naming no issue costs no API call.
  const issue = issueOfRunTitle(title);
  if (issue === null) return;
  const forge = forgeOf(context);
  const outcome = await onWorkflowRunEvent(
    forge,
    () => loadConfig(context, forge, { comments: [issue], labels: true }),
    {
      action: context.payload.action,
      run: {
        id: run.id,
        workflow: run.path ? basename(run.path.replace(/@.*$/, "")) : null,
        displayTitle: title,
        conclusion: run.conclusion ?? null,
        url: run.html_url,
      },
    },
  );
  logOutcome(context, `workflow run ${run.id} ${context.payload.action}`, outcome);
}

/** `issues.closed` of a task's issue → the tasks depending on it may start now. */
export async function onClosed(context: Context<"issues.closed">): Promise<void> {
  const { payload } = context;
  if (!payload.issue.labels?.some((l) => l.name === TASK_LABEL.name)) return;
  const outcome = await onTasksChanged(forgeOf(context), () => loadConfig(context), {
    closedTaskIssue: true,
  });
  logOutcome(
    context,
    `task issue #${payload.issue.number} closed`,
    "kind" in outcome ? outcome : { kind: "synced" },
  );
}
