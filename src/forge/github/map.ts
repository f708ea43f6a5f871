/**
 * GitHub REST responses → the forge port's shapes, and GitHub failures → Handoff errors. Every
 * response is parsed with its schema first, so a missing field fails here with its JSON path.
 */
import type { z } from "zod";
import { ForgeError, NotFoundError } from "../../errors.js";
import { describeIssues } from "../../util/validate.js";
import type {
  RepoRef,
  ForgeComment,
  ForgeIssue,
  ForgePullRequest,
  ForgeReview,
  ForgeReviewComment,
  ForgeUser,
  WorkflowRun,
} from "../types.js";
import {
  CommentSchema,
  IssueSchema,
  PullRequestSchema,
  ReviewCommentSchema,
  ReviewSchema,
  type UserSchema,
  WorkflowRunSchema,
} from "./schema.js";
import type { ForgeOctokit } from "./octokit.js";

/** The Octokit, the repository and its `owner/repo` for messages: what the forge's modules call with. */
export interface GitHubApi {
  octokit: ForgeOctokit;
  repo: RepoRef;
  where: string;
}

/** GitHub's largest page: lists are read 100 at a time. */
export const PER_PAGE = 100;

/** Parses a response body; a mismatch is a ForgeError naming the operation and every JSON path. */
export function parseResponse<S extends z.ZodType>(schema: S, data: unknown, operation: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new ForgeError(
    `GitHub ${operation}: unexpected response: ${describeIssues(result.error).slice(0, 5).join("; ")}`,
  );
}

/** The HTTP status of an Octokit RequestError, if it is one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * Runs one GitHub call; a 404 becomes a NotFoundError and any other failure a ForgeError, both naming
 * `operation` (e.g. `get issue #7 of octo/repo`) and GitHub's status and message.
 */
export async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ForgeError || error instanceof NotFoundError) throw error;
    const status = httpStatus(error);
    const message = error instanceof Error ? error.message : String(error);
    if (status === 404) throw new NotFoundError(`GitHub ${operation}: not found`, { cause: error });
    const why = status ? `HTTP ${status}: ${message}` : message;
    throw new ForgeError(`GitHub ${operation} failed: ${why}`, { cause: error });
  }
}

/** Like `call`, but a 404 is the answer `null`. */
export async function callOrNull<T>(operation: string, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await call(operation, fn);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

function user(u: z.output<typeof UserSchema> | null): ForgeUser {
  return u ? { login: u.login, type: u.type } : { login: "ghost", type: "User" };
}

/**
 * What everything someone writes on GitHub carries: a body (GitHub sends `null` for an empty one)
 * and an author (`null` once the account is deleted, shown as GitHub's "ghost").
 */
function authored(x: { body?: string | null; user: z.output<typeof UserSchema> | null }) {
  return { body: x.body ?? "", author: user(x.user) };
}

/** What an issue and a pull request share (on GitHub every pull request is an issue too). */
function thread(
  x: { number: number; title: string; state: "open" | "closed" } & Parameters<typeof authored>[0],
) {
  return { number: x.number, title: x.title, state: x.state, ...authored(x) };
}

/** Where GitHub shows it, and when it was written and last edited. */
function stamped(x: { html_url: string; created_at: string; updated_at: string }) {
  return { url: x.html_url, createdAt: x.created_at, updatedAt: x.updated_at };
}

export function toIssue(data: unknown, operation: string): ForgeIssue {
  const i = parseResponse(IssueSchema, data, operation);
  return {
    ...thread(i),
    labels: i.labels.map((l) => (typeof l === "string" ? l : l.name)),
    isPullRequest: Boolean(i.pull_request),
    ...stamped(i),
  };
}

export function toComment(data: unknown, operation: string): ForgeComment {
  const c = parseResponse(CommentSchema, data, operation);
  return {
    id: c.id,
    ...authored(c),
    ...stamped(c),
  };
}

export function toPullRequest(data: unknown, operation: string): ForgePullRequest {
  const p = parseResponse(PullRequestSchema, data, operation);
  return {
    ...thread(p),
    head: p.head.ref,
    headSha: p.head.sha,
    base: p.base.ref,
    draft: p.draft ?? false,
    merged: Boolean(p.merged_at),
    url: p.html_url,
  };
}

export function toReview(data: unknown, operation: string): ForgeReview {
  const r = parseResponse(ReviewSchema, data, operation);
  return {
    id: r.id,
    state: r.state,
    ...authored(r),
    submittedAt: r.submitted_at ?? null,
  };
}

export function toReviewComment(data: unknown, operation: string): ForgeReviewComment {
  const c = parseResponse(ReviewCommentSchema, data, operation);
  return {
    id: c.id,
    reviewId: c.pull_request_review_id ?? null,
    ...authored(c),
    path: c.path,
    line: c.line ?? null,
    url: c.html_url,
  };
}

export function toWorkflowRun(data: unknown, operation: string): WorkflowRun {
  const r = parseResponse(WorkflowRunSchema, data, operation);
  return {
    id: r.id,
    workflow: r.path ? (r.path.split("/").pop() ?? null) : null,
    name: r.name ?? "",
    displayTitle: r.display_title ?? r.name ?? "",
    event: r.event,
    status: r.status ?? "unknown",
    conclusion: r.conclusion,
    headBranch: r.head_branch,
    url: r.html_url,
    createdAt: r.created_at,
  };
}
