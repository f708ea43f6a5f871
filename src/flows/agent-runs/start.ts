/**
 * Starting an agent's run on an issue, for every way one starts (a label, a review, `/retry`, a task
 * whose dependencies are done): refuse a second concurrent run, show `queued` in the sticky status
 * comment, label the issue `handoff:running`, and dispatch the agent workflow with the Action's
 * inputs. Status and label come before the dispatch, so a forge whose dispatch runs the work at once
 * (the local forge) ends on the run's final state, and a failed dispatch is rolled back visibly.
 */
import type { Forge, Reaction } from "../../forge/types.js";
import type { AgentRunsConfig } from "../../config/agent-runs.js";
import {
  type RunReason,
  type StatusComment,
  type StatusData,
  findStatus,
  isActive,
  writeStatus,
} from "./status.js";

export interface RunRequest {
  issue: number;
  agent: string;
  reason: RunReason;
  reviewId?: number | null;
  requestedBy: string;
  /** The webhook delivery id, so its redelivery has no second effect. */
  delivery?: string | null;
  /** The repository's default branch when the caller knows it (webhook payloads carry it). */
  defaultBranch?: string;
  /** The issue's status comment, when the caller already looked (undefined: look it up). */
  status?: StatusComment | null;
  /** The PR the run updates, when known (a review's). */
  prUrl?: string | null;
  /** A command to acknowledge with this reaction once the run is queued (`/retry`'s 👍). */
  acknowledge?: { commentId: number; content: Reaction };
}

export type StartOutcome =
  | { kind: "started"; status: StatusData }
  /** A run is queued or running: nothing was written. */
  | { kind: "busy"; status: StatusData }
  /** This very delivery started the active run already. */
  | { kind: "redelivered" }
  | { kind: "dispatch_failed"; message: string };

/** The workflow inputs of `handoff-agent.yml` (strings, as workflow_dispatch takes them). */
export function agentInputs(request: Pick<RunRequest, "issue" | "agent" | "reason" | "reviewId">) {
  return {
    issue: String(request.issue),
    agent: request.agent,
    reason: request.reason,
    ...(request.reason === "review" && request.reviewId ? { "review-id": String(request.reviewId) } : {}),
  };
}

/** The issue's status comment (one call), unless the caller passed what it found. */
export async function statusOf(forge: Forge, issue: number, known?: StatusComment | null) {
  if (known !== undefined) return known;
  return findStatus(forge, issue, await forge.listComments(issue));
}

export async function startRun(
  forge: Forge,
  config: AgentRunsConfig,
  request: RunRequest,
): Promise<StartOutcome> {
  const existing = await statusOf(forge, request.issue, request.status);
  const previous = existing?.data ?? null;
  if (previous && isActive(previous.state)) {
    if (request.delivery && previous.delivery === request.delivery) return { kind: "redelivered" };
    return { kind: "busy", status: previous };
  }
  const queued: StatusData = {
    state: "queued",
    agent: request.agent,
    reason: request.reason,
    requestedBy: request.requestedBy,
    reviewId: request.reason === "review" ? (request.reviewId ?? null) : null,
    delivery: request.delivery ?? null,
    runId: null,
    runUrl: null,
    prUrl: request.prUrl ?? previous?.prUrl ?? null,
    evidenceUrl: null,
    detail: null,
    updatedAt: new Date().toISOString(),
  };
  const running = config.agents.running_label;
  // The status, the label and the command's acknowledgement do not depend on each other: one request.
  const comment = await writeStatus(forge, request.issue, queued, existing, [
    { kind: "addLabels", issue: request.issue, labels: [running] },
    ...(request.acknowledge ? [{ kind: "react" as const, ...request.acknowledge }] : []),
  ]);
  const ref = config.agents.ref ?? request.defaultBranch ?? (await forge.defaultBranch());
  try {
    await forge.dispatchWorkflow({ workflow: config.agents.workflow, ref, inputs: agentInputs(request) });
  } catch (error) {
    const message = `dispatching ${config.agents.workflow} on ${ref} failed: ${(error as Error).message}`;
    await writeStatus(
      forge,
      request.issue,
      { ...queued, state: "dispatch_failed", detail: message, updatedAt: new Date().toISOString() },
      { comment, data: queued },
    );
    await forge.removeLabel(request.issue, running);
    return { kind: "dispatch_failed", message };
  }
  return { kind: "started", status: queued };
}
