/**
 * The local forge's pull requests and reviews: issue records with pull fields, whose head and base
 * are branches of the repository itself.
 */
import { ConflictError, ForgeError, NotFoundError } from "../../errors.js";
import type {
  ForgePullRequest,
  ForgeReview,
  ForgeReviewComment,
  ListPullRequestsQuery,
  NewPullRequest,
  PullRequestUpdate,
} from "../types.js";
import { type LocalRecords, now } from "./records.js";

export async function listPullRequests(
  records: LocalRecords,
  query: ListPullRequestsQuery = {},
): Promise<ForgePullRequest[]> {
  const state = query.state ?? "open";
  const found = (await records.store.allIssues())
    .filter((r) => r.pull && (state === "all" || r.state === state))
    .filter((r) => !query.base || r.pull?.base === query.base);
  return Promise.all(found.map((r) => records.toPull(r)));
}

export async function createPullRequest(
  records: LocalRecords,
  input: NewPullRequest,
): Promise<ForgePullRequest> {
  const headSha = await records.git.refs.tryShowRef(`refs/heads/${input.head}`);
  if (!headSha) throw new ForgeError(`local forge: open a pull request from ${input.head}: no such branch`);
  if (!(await records.git.refs.tryShowRef(`refs/heads/${input.base}`))) {
    throw new ForgeError(`local forge: open a pull request into ${input.base}: no such branch`);
  }
  return records.store.locked(async () => {
    // GitHub refuses a second open pull request for the same head and base (422); so do we.
    const open = (await records.store.allIssues()).find(
      (r) => r.state === "open" && r.pull?.head === input.head && r.pull.base === input.base,
    );
    if (open)
      throw new ConflictError(
        `local forge: pull request #${open.number} from ${input.head} into ${input.base} is already open`,
      );
    const record = await records.create({
      number: await records.store.next("number"),
      title: input.title,
      body: input.body,
      labels: [],
      pull: {
        head: input.head,
        base: input.base,
        headSha,
        draft: input.draft ?? false,
        merged: false,
        requestedReviewers: [],
      },
    });
    return records.toPull(record);
  });
}

export async function updatePullRequest(
  records: LocalRecords,
  pr: number,
  input: PullRequestUpdate,
): Promise<ForgePullRequest> {
  await records.get(pr, "pull request");
  const record = await records.change(pr, (r) => {
    if (input.title !== undefined) r.title = input.title;
    if (input.body !== undefined) r.body = input.body;
    if (input.state !== undefined) r.state = input.state;
    if (input.base !== undefined && r.pull) r.pull.base = input.base;
  });
  return records.toPull(record);
}

export async function requestReviewers(
  records: LocalRecords,
  pr: number,
  reviewers: readonly string[],
): Promise<void> {
  await records.get(pr, "pull request");
  await records.change(pr, (r) => {
    if (r.pull) r.pull.requestedReviewers = [...new Set([...r.pull.requestedReviewers, ...reviewers])];
  });
}

export async function listReviews(records: LocalRecords, pr: number): Promise<ForgeReview[]> {
  return [...(await records.get(pr, "pull request")).reviews];
}

export async function listReviewComments(
  records: LocalRecords,
  pr: number,
  reviewId?: number,
): Promise<ForgeReviewComment[]> {
  const all = (await records.get(pr, "pull request")).reviewComments;
  return reviewId === undefined ? [...all] : all.filter((c) => c.reviewId === reviewId);
}

/** A review as a reviewer submits it: the verdict, the summary and comments on lines of the diff. */
export interface NewReview {
  state: ForgeReview["state"];
  body: string;
  comments?: readonly { path: string; line: number | null; body: string }[];
}

/**
 * Submits a review of pull request `pr` by the forge's actor (offline one person plays every part, so
 * unlike GitHub an author may request changes on their own pull request).
 */
export async function submitReview(
  records: LocalRecords,
  pr: number,
  input: NewReview,
): Promise<ForgeReview> {
  return records.changeWith(pr, async (r) => {
    if (!r.pull) throw new NotFoundError(`local forge: pull request #${pr} not found`);
    const id = await records.store.next("id");
    const review: ForgeReview = {
      id,
      state: input.state,
      body: input.body,
      author: records.me(),
      submittedAt: now(),
    };
    r.reviews.push(review);
    for (const c of input.comments ?? []) {
      const commentId = await records.store.next("id");
      r.reviewComments.push({
        id: commentId,
        reviewId: id,
        body: c.body,
        path: c.path,
        line: c.line,
        author: records.me(),
        url: records.url(pr, `review-comment-${commentId}`),
      });
    }
    return review;
  });
}
