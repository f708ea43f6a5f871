/**
 * Publishes a run through the forge: the issue branch's one pull request (opened, or the open one
 * updated: `publishPullRequest`), the people asked to review it and its labels, and one evidence
 * comment on the issue and on the PR, found by its hidden marker and rewritten in place by every
 * later run of the issue.
 */
import { publishPullRequest } from "../forge/pull-requests.js";
import type { Forge, ForgeComment, ForgePullRequest } from "../forge/types.js";

/** The marker of an issue's one evidence comment: every run of the issue updates the same comment. */
export function issueEvidenceMarker(issue: number): string {
  return `<!-- handoff:evidence issue=${issue} -->`;
}

export interface RunPullRequestInput {
  issue: number;
  branch: string;
  base: string;
  title: string;
  /** The summary above the `Closes #N` line. */
  summary: string;
  draft?: boolean;
  /** Logins asked to review: who started the run, and any others. Bots and the PR's author are skipped. */
  reviewers?: readonly string[];
  labels?: readonly string[];
}

export async function publishRunPullRequest(
  forge: Forge,
  input: RunPullRequestInput,
): Promise<{ pr: ForgePullRequest; created: boolean }> {
  const { pullRequest: pr, created } = await publishPullRequest(forge, {
    head: input.branch,
    base: input.base,
    title: input.title,
    body: `${input.summary.trim()}\n\nCloses #${input.issue}\n`,
    ...(input.draft ? { draft: true } : {}),
  });
  const reviewers = [...new Set(input.reviewers ?? [])].filter(
    (login) => login && !login.endsWith("[bot]") && login !== pr.author.login,
  );
  if (reviewers.length) await forge.requestReviewers(pr.number, reviewers);
  if (input.labels?.length) await forge.addLabels(pr.number, input.labels);
  return { pr, created };
}

/** Writes the issue's evidence comment (`body` without its marker) on the issue and, when given, the PR. */
export async function upsertEvidence(
  forge: Forge,
  issue: number,
  body: string,
  pr?: number,
): Promise<{ issueComment: ForgeComment; prComment?: ForgeComment }> {
  const marker = issueEvidenceMarker(issue);
  const text = `${marker}\n${body}`;
  const { comment: issueComment } = await forge.upsertComment(issue, marker, text);
  if (pr === undefined) return { issueComment };
  const { comment: prComment } = await forge.upsertComment(pr, marker, text);
  return { issueComment, prComment };
}
