/**
 * `workflow_run` of Handoff's agent workflow: `in_progress` shows the run (and its link) in the sticky
 * status comment; `completed` always ends it in a final state — succeeded, failed, cancelled, timed
 * out — with links to the run, the PR and the evidence, even when the run died before it could post
 * its own evidence, and takes `handoff:running` off the issue. The issue is read from the run's title
 * (see forge/run-title.ts); the run's facts come from the status comment.
 */
import { issueOfRunTitle } from "../../forge/run-title.js";
import type { Forge, ForgeComment } from "../../forge/types.js";
import type { AgentRunsConfig } from "../../config/agent-runs.js";
import {
  type RunState,
  type StatusData,
  StatusDataSchema,
  findStatus,
  isActive,
  writeStatus,
} from "./status.js";

/** The part of a `workflow_run` event (or a forge's run) the flow reads. */
export interface WorkflowRunEvent {
  action: "requested" | "in_progress" | "completed";
  run: {
    id: number;
    /** The workflow file name (`handoff-agent.yml`), from the run's `path`. */
    workflow: string | null;
    displayTitle: string;
    conclusion: string | null;
    url: string;
    /** Why it failed, when the forge knows (a local dispatch; GitHub's event does not say). */
    error?: string;
  };
}

export type WorkflowRunOutcome =
  | { kind: "ignored"; reason: string }
  | { kind: "updated"; issue: number; status: StatusData; created: boolean };

/** GitHub's conclusions as final states; anything else (startup_failure, stale, …) is a failure. */
export function finalState(conclusion: string | null): RunState {
  switch (conclusion) {
    case "success":
    case "cancelled":
    case "timed_out":
      return conclusion;
    default:
      return "failure";
  }
}

/** Marker of the issue's evidence comment, written by the run (src/flows/publish-run.ts). */
const EVIDENCE = (issue: number) => `<!-- handoff:evidence issue=${issue} -->`;

/** The PR a run published: the first `/pull/N` link of its evidence comment. */
function prOfEvidence(evidence: ForgeComment | undefined): string | null {
  return (
    evidence?.body.match(/\bhttps?:\/\/\S+?\/pull\/\d+\b|file:\/\/\S+?\/issues\/\d+\.json\b/)?.[0] ?? null
  );
}

export async function onWorkflowRun(
  forge: Forge,
  config: AgentRunsConfig,
  event: WorkflowRunEvent,
): Promise<WorkflowRunOutcome> {
  const { run } = event;
  if (run.workflow !== config.agents.workflow) {
    return {
      kind: "ignored",
      reason: `${run.workflow ?? "an unknown workflow"} is not ${config.agents.workflow}`,
    };
  }
  const issue = issueOfRunTitle(run.displayTitle);
  if (issue === null)
    return { kind: "ignored", reason: `run ${run.id} ("${run.displayTitle}") names no issue` };

  const comments = await forge.listComments(issue);
  const status = findStatus(forge, issue, comments);
  const previous = status?.data ?? null;
  // A newer run owns the status: an older run's late event must not overwrite it.
  if (previous?.runId && previous.runId !== run.id) {
    return {
      kind: "ignored",
      reason: `the status of #${issue} follows run ${previous.runId}, not ${run.id}`,
    };
  }
  const now = new Date().toISOString();
  const base: StatusData =
    previous ??
    // The run started without the app (a label in Actions, a manual dispatch): show it all the same.
    StatusDataSchema.parse({
      state: "queued",
      agent: /\s#\d+\s+([a-z0-9][a-z0-9._-]*)/.exec(run.displayTitle)?.[1] ?? "agent",
      reason: "dispatch",
      requestedBy: "unknown",
      updatedAt: now,
    });

  if (event.action !== "completed") {
    // A run that is already final (its completion arrived first) stays final.
    if (previous && !isActive(previous.state))
      return { kind: "ignored", reason: `run ${run.id} already ended` };
    const next: StatusData = { ...base, state: "running", runId: run.id, runUrl: run.url, updatedAt: now };
    await writeStatus(forge, issue, next, status);
    return { kind: "updated", issue, status: next, created: !status };
  }

  const evidence = comments.find((c) => c.body.includes(EVIDENCE(issue)));
  const state = finalState(run.conclusion);
  // The forge knows why the run failed (a local dispatch): say it, first line only (the status is one line).
  const failure = run.error ? `the run failed: ${run.error.split("\n")[0]}` : null;
  const next: StatusData = {
    ...base,
    state,
    runId: run.id,
    runUrl: run.url,
    prUrl: prOfEvidence(evidence) ?? base.prUrl,
    evidenceUrl: evidence?.url ?? null,
    detail: failure
      ? `${failure}${evidence ? "" : "; it posted no evidence (its log is behind the run link)"}`
      : state === "failure" && run.conclusion !== "failure"
        ? `the run ended with conclusion ${run.conclusion ?? "none"}`
        : evidence
          ? null
          : "the run posted no evidence; its log is behind the run link",
    updatedAt: now,
  };
  await writeStatus(forge, issue, next, status, [
    { kind: "removeLabel", issue, label: config.agents.running_label },
  ]);
  return { kind: "updated", issue, status: next, created: !status };
}
