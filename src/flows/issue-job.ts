/**
 * The job of a run, read from the issue through the forge: title, body, labels and the people's
 * comments (Handoff's own status and evidence comments left out); for a run answering a review, the
 * review's body and its line comments come last, so the prompt ends with what the reviewer asked.
 */
import { NotFoundError } from "../errors.js";
import type { Forge, ForgePullRequest } from "../forge/types.js";
import type { Job } from "../runs/job.js";
import { DEFAULT_BRANCH_PREFIX } from "../worktrees/naming.js";

/** Comments Handoff wrote carry a hidden `<!-- handoff:… -->` marker; they are not part of the job. */
const HANDOFF_MARKER = /<!-- handoff:/;

/** The open PR whose head is the issue's branch (`handoff/issue-N` or `handoff/issue-N-<slug>`). */
export async function findIssuePullRequest(
  forge: Forge,
  issue: number,
  prefix = DEFAULT_BRANCH_PREFIX,
): Promise<ForgePullRequest | null> {
  const own = `${prefix}${issue}`;
  const open = await forge.listPullRequests({ state: "open" });
  return open.find((pr) => pr.head === own || pr.head.startsWith(`${own}-`)) ?? null;
}

export async function jobFromIssue(
  forge: Forge,
  issue: number,
  options: { reviewId?: number } = {},
): Promise<Job> {
  const found = await forge.getIssue(issue);
  const comments: Job["comments"] = (await forge.listComments(issue))
    .filter((c) => !HANDOFF_MARKER.test(c.body))
    .map((c) => ({ author: c.author.login, body: c.body, created_at: c.createdAt }));
  if (options.reviewId !== undefined) {
    const pr = await findIssuePullRequest(forge, issue);
    if (!pr) throw new NotFoundError(`review ${options.reviewId}: issue #${issue} has no open pull request`);
    const review = (await forge.listReviews(pr.number)).find((r) => r.id === options.reviewId);
    if (!review)
      throw new NotFoundError(`review ${options.reviewId} not found on pull request #${pr.number}`);
    const state = review.state.toLowerCase().replace(/_/g, " ");
    comments.push({
      author: review.author.login,
      body: `Review of #${pr.number} (${state}):\n\n${review.body || "(no summary)"}`,
      ...(review.submittedAt ? { created_at: review.submittedAt } : {}),
    });
    for (const c of await forge.listReviewComments(pr.number, review.id)) {
      const where = c.line === null ? c.path : `${c.path}:${c.line}`;
      comments.push({ author: c.author.login, body: `Review comment on ${where}:\n\n${c.body}` });
    }
  }
  return {
    issue,
    title: found.title,
    body: found.body,
    comments,
    labels: found.labels,
    url: found.url,
  };
}
