/** The GitHub forge's pull request reviews: reviewers requested, reviews and their line comments. */
import type { ForgeReview, ForgeReviewComment } from "../types.js";
import { type GitHubApi, PER_PAGE, call, toReview, toReviewComment } from "./map.js";

export async function requestReviewers(
  api: GitHubApi,
  pr: number,
  reviewers: readonly string[],
): Promise<void> {
  if (!reviewers.length) return;
  await call(`request reviewers on #${pr} of ${api.where}`, () =>
    api.octokit.rest.pulls.requestReviewers({ ...api.repo, pull_number: pr, reviewers: [...reviewers] }),
  );
}

export async function listReviews(api: GitHubApi, pr: number): Promise<ForgeReview[]> {
  const op = `list reviews of #${pr} of ${api.where}`;
  const items = await call(op, () =>
    api.octokit.paginate(api.octokit.rest.pulls.listReviews, {
      ...api.repo,
      pull_number: pr,
      per_page: PER_PAGE,
    }),
  );
  return items.map((item) => toReview(item, op));
}

export async function listReviewComments(
  api: GitHubApi,
  pr: number,
  reviewId?: number,
): Promise<ForgeReviewComment[]> {
  const op = `list review comments of #${pr} of ${api.where}`;
  const items =
    reviewId === undefined
      ? await call(op, () =>
          api.octokit.paginate(api.octokit.rest.pulls.listReviewComments, {
            ...api.repo,
            pull_number: pr,
            per_page: PER_PAGE,
          }),
        )
      : await call(op, () =>
          api.octokit.paginate(api.octokit.rest.pulls.listCommentsForReview, {
            ...api.repo,
            pull_number: pr,
            review_id: reviewId,
            per_page: PER_PAGE,
          }),
        );
  return items.map((item) => toReviewComment(item, op));
}
