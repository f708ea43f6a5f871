/**
 * Publishes a run through the forge: one pull request per issue branch (an open one is updated, never
 * duplicated), the people asked to review it, and one evidence comment on the issue and on the PR,
 * each found by its hidden marker and rewritten in place on every later run.
 */
import type { Forge, ForgeComment, ForgePullRequest } from "../forge/types.js";

/** The marker of an issue's one evidence comment: every run of the issue updates the same comment. */
export function issueEvidenceMarker(issue: number): string {
  return `<!-- handoff:evidence issue=${issue} -->`;
}

/** The hidden marker that tells Handoff which issue a PR body belongs to. */
export function pullRequestMarker(issue: number): string {
  return `<!-- handoff:pr issue=${issue} -->`;
}

export interface PullRequestInput {
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

/** Creates the issue branch's PR, or updates the open one; returns it and whether it is new. */
export async function upsertPullRequest(
  forge: Forge,
  input: PullRequestInput,
): Promise<{ pr: ForgePullRequest; created: boolean }> {
  const body = `${pullRequestMarker(input.issue)}\n${input.summary.trim()}\n\nCloses #${input.issue}\n`;
  const existing = await forge.findPullRequest({ head: input.branch });
  const pr = existing
    ? await forge.updatePullRequest(existing.number, { body })
    : await forge.createPullRequest({
        head: input.branch,
        base: input.base,
        title: input.title,
        body,
        ...(input.draft ? { draft: true } : {}),
      });
  const reviewers = [...new Set(input.reviewers ?? [])].filter(
    (login) => login && !login.endsWith("[bot]") && login !== pr.author.login,
  );
  if (reviewers.length) await forge.requestReviewers(pr.number, reviewers);
  if (input.labels?.length) await forge.addLabels(pr.number, input.labels);
  return { pr, created: existing === null };
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
