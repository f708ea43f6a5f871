/**
 * "Changes requested" on a Handoff PR (head `handoff/issue-N…`) sends the issue's agent round again
 * with `reason: review` and the review's id, so the next iteration reads what the reviewer asked.
 * Approvals and plain comments do nothing; so do reviews of other PRs.
 */
import { issueOfBranch } from "../../checkpoints/checkpoints.js";
import type { Forge } from "../../forge/types.js";
import { DEFAULT_BRANCH_PREFIX } from "../../worktrees/naming.js";
import type { AgentRunsConfig } from "./config.js";
import { agentOfLabel } from "./label.js";
import { type Sender, isBot, permissionRefusal, reply } from "./sender.js";
import { type StartOutcome, startRun, statusOf } from "./start.js";

/** The part of a `pull_request_review.submitted` event the flow reads. */
export interface ReviewEvent {
  pull: { number: number; head: string; url: string };
  /** GitHub's payload says `changes_requested`, `approved`, `commented` (any case is accepted). */
  review: { id: number; state: string };
  sender: Sender;
  delivery?: string;
  defaultBranch?: string;
}

export type ReviewOutcome =
  { kind: "ignored"; reason: string } | { kind: "refused"; reason: string } | StartOutcome;

/** The issue a Handoff PR's head branch belongs to, or null for any other branch. */
export function issueOfHead(head: string): number | null {
  const issue = issueOfBranch(head, DEFAULT_BRANCH_PREFIX);
  return issue ? Number(issue) : null;
}

export async function rerunFromReview(
  forge: Forge,
  config: AgentRunsConfig,
  event: ReviewEvent,
): Promise<ReviewOutcome> {
  if (event.review.state.toLowerCase() !== "changes_requested") {
    return {
      kind: "ignored",
      reason: `a review that ${event.review.state.toLowerCase()} asks for no new run`,
    };
  }
  const issue = issueOfHead(event.pull.head);
  if (issue === null) return { kind: "ignored", reason: `${event.pull.head} is not a Handoff branch` };
  if (isBot(event.sender)) return { kind: "ignored", reason: `${event.sender.login} is a bot` };

  const refuse = async (reason: string): Promise<ReviewOutcome> => {
    await reply(
      forge,
      event.pull.number,
      { review: event.review.id },
      `Handoff did not send the agent round again for this review: ${reason}\n\nNothing was dispatched.`,
    );
    return { kind: "refused", reason };
  };

  const denied = await permissionRefusal(forge, event.sender, config.permission);
  if (denied) return refuse(denied);
  const status = await statusOf(forge, issue);
  // The agent of the last run, else the issue's agent label (a run started outside the app).
  const agent =
    status?.data?.agent ??
    (await forge.getIssue(issue)).labels.map((l) => agentOfLabel(config, l)).find((a) => a !== null) ??
    null;
  if (!agent)
    return refuse(
      `issue #${issue} names no agent (no earlier run, no \`${config.agents.label_prefix}<name>\` label).`,
    );

  const outcome = await startRun(forge, config, {
    issue,
    agent,
    reason: "review",
    reviewId: event.review.id,
    requestedBy: event.sender.login,
    delivery: event.delivery ?? null,
    status,
    prUrl: event.pull.url,
    ...(event.defaultBranch ? { defaultBranch: event.defaultBranch } : {}),
  });
  if (outcome.kind !== "busy") return outcome;
  return refuse(
    `a run of \`${outcome.status.agent}\` is already ${outcome.status.state} on #${issue}; submit the review again once it ends, or \`/stop\` it.`,
  );
}
