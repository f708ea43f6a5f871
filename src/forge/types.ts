/**
 * The forge port: everything Handoff does on a forge (GitHub, or the local forge under the repository's
 * git common dir) goes through this one interface. Core flows take a `Forge` as a parameter and never
 * import Octokit; the GitHub implementation maps REST responses into these shapes, the local one stores
 * them as JSON files, and one contract suite proves both behave the same.
 *
 * Conventions every implementation keeps:
 * - A thing that is not there is `null` from `find*`/`read*`, and a `NotFoundError` from `get*`.
 * - Lists are complete (implementations paginate); order is the forge's natural order (oldest first for
 *   comments and reviews, newest first for workflow runs).
 * - Markers are hidden HTML comments (`<!-- handoff:… -->`) found anywhere in a body; `upsertComment`
 *   and `findIssueByMarker` are what make a redelivered webhook or a rerun harmless.
 * - Every failure of the forge itself is a `ForgeError` whose message names the operation and target.
 */
import { z } from "zod";

/** `owner/name` of a repository. */
export const RepoRefSchema = z.object({ owner: z.string().min(1), repo: z.string().min(1) });
export type RepoRef = z.infer<typeof RepoRefSchema>;

/** A person or app as the forge reports them. `type` is GitHub's: `User`, `Bot`, `Organization`. */
export const ForgeUserSchema = z.object({ login: z.string(), type: z.string().default("User") });
export type ForgeUser = z.infer<typeof ForgeUserSchema>;

export const IssueStateSchema = z.enum(["open", "closed"]);
export type IssueState = z.infer<typeof IssueStateSchema>;

export const ForgeIssueSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string(),
  state: IssueStateSchema,
  labels: z.array(z.string()),
  author: ForgeUserSchema,
  /** Browser URL of the issue. */
  url: z.string(),
  /** GitHub lists pull requests as issues too; flows that want issues only skip these. */
  isPullRequest: z.boolean().default(false),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ForgeIssue = z.infer<typeof ForgeIssueSchema>;

export const ForgeCommentSchema = z.object({
  id: z.number().int().positive(),
  body: z.string(),
  author: ForgeUserSchema,
  url: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ForgeComment = z.infer<typeof ForgeCommentSchema>;

export const ForgePullRequestSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string(),
  state: IssueStateSchema,
  /** Head branch name (same repository). */
  head: z.string(),
  headSha: z.string(),
  base: z.string(),
  draft: z.boolean(),
  merged: z.boolean().default(false),
  author: ForgeUserSchema,
  url: z.string(),
});
export type ForgePullRequest = z.infer<typeof ForgePullRequestSchema>;

export const ReviewStateSchema = z.enum([
  "APPROVED",
  "CHANGES_REQUESTED",
  "COMMENTED",
  "DISMISSED",
  "PENDING",
]);
export type ReviewState = z.infer<typeof ReviewStateSchema>;

export const ForgeReviewSchema = z.object({
  id: z.number().int().positive(),
  state: ReviewStateSchema,
  body: z.string(),
  author: ForgeUserSchema,
  submittedAt: z.string().nullable(),
});
export type ForgeReview = z.infer<typeof ForgeReviewSchema>;

export const ForgeReviewCommentSchema = z.object({
  id: z.number().int().positive(),
  /** The review this comment belongs to, when it was part of one. */
  reviewId: z.number().int().nullable(),
  body: z.string(),
  path: z.string(),
  /** The line in the new file the comment is on, when GitHub still knows it. */
  line: z.number().int().nullable(),
  author: ForgeUserSchema,
  url: z.string(),
});
export type ForgeReviewComment = z.infer<typeof ForgeReviewCommentSchema>;

/**
 * A user's permission on the repository: GitHub's `role_name` from the collaborator-permission
 * endpoint (never `author_association`, which says nothing about write access). `none` for strangers.
 */
export const PermissionSchema = z.enum(["admin", "maintain", "write", "triage", "read", "none"]);
export type Permission = z.infer<typeof PermissionSchema>;

/** Permissions from weakest to strongest, for "at least" checks. */
export const PERMISSION_ORDER: readonly Permission[] = [
  "none",
  "read",
  "triage",
  "write",
  "maintain",
  "admin",
];

/** Whether `actual` grants at least `required`. */
export function permits(actual: Permission, required: Permission): boolean {
  return PERMISSION_ORDER.indexOf(actual) >= PERMISSION_ORDER.indexOf(required);
}

/** A label to put on issues; created with this colour and description when the forge lacks it. */
export interface LabelSpec {
  name: string;
  /** Six hex digits, no `#`. */
  color?: string;
  description?: string;
}

export const ReactionSchema = z.enum(["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"]);
export type Reaction = z.infer<typeof ReactionSchema>;

/** A file read from the forge at a ref. `sha` is the blob's, needed to update it. */
export interface ForgeFile {
  path: string;
  content: string;
  sha: string;
}

export interface ForgeDirEntry {
  /** Path from the repository root. */
  path: string;
  name: string;
  type: "file" | "dir" | "symlink" | "submodule";
  sha: string;
}

export interface CommitFileInput {
  branch: string;
  path: string;
  content: string;
  message: string;
  /**
   * When `branch` does not exist yet, create it from this branch (default: the repository's default
   * branch). Without it a missing branch is created from the default branch.
   */
  createBranchFrom?: string;
  /** Commit author; the forge's identity when omitted. */
  author?: { name: string; email: string };
}

export interface CommitFileResult {
  /** The new commit. */
  commitSha: string;
  /** Whether the file was created (false: updated). */
  created: boolean;
  /** Whether nothing changed because the content was already there (no commit made). */
  unchanged: boolean;
}

export const WorkflowRunSchema = z.object({
  id: z.number().int().positive(),
  /** The workflow file name, e.g. `handoff-agent.yml`, when known. */
  workflow: z.string().nullable(),
  name: z.string(),
  displayTitle: z.string(),
  event: z.string(),
  status: z.string(),
  /** `success`, `failure`, `cancelled`, `timed_out`, … once completed; null before. */
  conclusion: z.string().nullable(),
  headBranch: z.string().nullable(),
  url: z.string(),
  createdAt: z.string(),
  /** Why a failed run failed, where the forge knows it: the local forge's dispatch does; GitHub's API does not say. */
  error: z.string().optional(),
});
export type WorkflowRun = z.infer<typeof WorkflowRunSchema>;

export interface DispatchInput {
  /** Workflow file name (`handoff-agent.yml`) or id. */
  workflow: string;
  /** Branch or tag the workflow runs on. */
  ref: string;
  /** Workflow inputs; GitHub takes strings only. */
  inputs: Record<string, string>;
}

export interface WorkflowRunsQuery {
  workflow?: string;
  branch?: string;
  /** `queued`, `in_progress`, `completed`, or a conclusion such as `success`. */
  status?: string;
  /** The newest runs only, at most this many (at most 100): one request instead of every page. */
  limit?: number;
}

export interface ListIssuesQuery {
  /** Every label must be on the issue. */
  labels?: readonly string[];
  state?: IssueState | "all";
}

/**
 * Reads a flow is about to make, announced up front so a forge that can make them in one request
 * (GitHub's GraphQL API) does; its later `readFile`, `listDirectory`, `listComments`, `listIssues`
 * and `ensureLabel` calls are then answered from what it read. A hint only: anything not read ahead
 * is read as usual, and a forge without bulk reads ignores it.
 */
export interface ReadAhead {
  /** Files at a ref (default: the default branch). */
  files?: readonly { path: string; ref?: string }[];
  /** Folders with their files' texts, two levels deep (`texts: false`: the entries only). */
  folders?: readonly { path: string; ref?: string; texts?: boolean }[];
  /** Issues and pull requests whose comments will be listed. */
  comments?: readonly number[];
  /** Labels whose open issues will be listed (`listIssues({ labels: [label], state: "open" })`). */
  openIssuesLabeled?: readonly string[];
  /** Every open issue will be listed (`listIssues({ state: "open" })`). */
  allOpenIssues?: boolean;
  /** Every open pull request will be listed (`listPullRequests({ state: "open" })`). */
  openPullRequests?: boolean;
  /** The repository's labels, so labels that exist cost no call to ensure. */
  labels?: boolean;
  /** Branches whose head a commit will need. */
  branches?: readonly string[];
}

/**
 * One write of a handler's last step, for `Forge.writeAll`: writes that do not depend on each other,
 * which a forge may make in one request (GitHub: one GraphQL mutation).
 */
export type ForgeWrite =
  | { kind: "comment"; issue: number; body: string }
  | { kind: "updateComment"; commentId: number; body: string }
  /** Labels that exist in the repository (names). */
  | { kind: "addLabels"; issue: number; labels: readonly string[] }
  | { kind: "removeLabel"; issue: number; label: string }
  | { kind: "react"; commentId: number; content: Reaction }
  | { kind: "close"; issue: number };

/** A new issue; labels given as specs are created first when the repository lacks them. */
export interface NewIssue {
  title: string;
  body: string;
  labels?: readonly (string | LabelSpec)[];
}

/** The fields of an issue to change; those left out stay. */
export interface IssueUpdate {
  title?: string;
  body?: string;
  state?: IssueState;
}

/** A new pull request from branch `head` into branch `base`. */
export interface NewPullRequest {
  head: string;
  base: string;
  title: string;
  body: string;
  draft?: boolean;
}

/** The fields of a pull request to change (`base` retargets it); those left out stay. */
export interface PullRequestUpdate extends IssueUpdate {
  base?: string;
}

export interface ListPullRequestsQuery {
  state?: IssueState | "all";
  base?: string;
}

/** What `upsertComment` did: the sticky comment as it now is, and whether it was new. */
export interface UpsertedComment {
  comment: ForgeComment;
  created: boolean;
}

export interface Forge {
  /** Which implementation this is, for messages and evidence. */
  readonly kind: "github" | "local";
  readonly repo: RepoRef;

  /** The repository's default branch. */
  defaultBranch(): Promise<string>;

  /** Makes the announced reads at once where the forge can (see ReadAhead); optional. */
  prefetch?(reads: ReadAhead): Promise<void>;
  /**
   * Makes independent writes, in one request where the forge can; the comment each `comment` or
   * `updateComment` wrote, null for the others. Optional: `writeAll()` (src/forge/writes.ts) makes them
   * one by one on a forge without it.
   */
  writeAll?(writes: readonly ForgeWrite[]): Promise<(ForgeComment | null)[]>;

  // Issues
  getIssue(issue: number): Promise<ForgeIssue>;
  /** Creates an issue; labels given as specs are created first when the repository lacks them. */
  createIssue(input: NewIssue): Promise<ForgeIssue>;
  updateIssue(issue: number, input: IssueUpdate): Promise<ForgeIssue>;
  closeIssue(issue: number): Promise<ForgeIssue>;
  /** Issues only (no pull requests), complete. */
  listIssues(query?: ListIssuesQuery): Promise<ForgeIssue[]>;
  /** The issue whose body holds `marker`; `labels` narrows the search (GitHub: a label filter). */
  findIssueByMarker(marker: string, query?: ListIssuesQuery): Promise<ForgeIssue | null>;

  // Comments (on issues and pull requests alike)
  listComments(issue: number): Promise<ForgeComment[]>;
  createComment(issue: number, body: string): Promise<ForgeComment>;
  updateComment(commentId: number, body: string): Promise<ForgeComment>;
  /**
   * The sticky comment: updates the comment on `issue` whose body holds `marker`, else creates one.
   * `body` must contain `marker`. Unchanged bodies make no write.
   */
  upsertComment(issue: number, marker: string, body: string): Promise<UpsertedComment>;

  // Labels
  /** Adds labels to an issue or PR; a label the repository lacks is created first. */
  addLabels(issue: number, labels: readonly (string | LabelSpec)[]): Promise<void>;
  /** Removes a label; removing one that is not there is not an error. */
  removeLabel(issue: number, name: string): Promise<void>;
  /** Creates the label when missing (idempotent). */
  ensureLabel(label: LabelSpec): Promise<void>;

  // Reactions
  addReaction(target: { commentId: number } | { issue: number }, content: Reaction): Promise<void>;

  // Pull requests
  /** The open pull request whose head is `head` (a branch of this repository), if any. */
  findPullRequest(query: { head: string; base?: string }): Promise<ForgePullRequest | null>;
  getPullRequest(pr: number): Promise<ForgePullRequest>;
  listPullRequests(query?: ListPullRequestsQuery): Promise<ForgePullRequest[]>;
  createPullRequest(input: NewPullRequest): Promise<ForgePullRequest>;
  updatePullRequest(pr: number, input: PullRequestUpdate): Promise<ForgePullRequest>;
  requestReviewers(pr: number, reviewers: readonly string[]): Promise<void>;
  listReviews(pr: number): Promise<ForgeReview[]>;
  /** Review comments of the PR; with `reviewId`, only those of that review. */
  listReviewComments(pr: number, reviewId?: number): Promise<ForgeReviewComment[]>;

  // Who may do what
  /** The user's permission on this repository (`none` when not a collaborator). */
  getPermission(login: string): Promise<Permission>;

  // Contents
  /** A file at `ref` (default: the default branch), or null when absent. A directory is an error. */
  readFile(path: string, ref?: string): Promise<ForgeFile | null>;
  /** The entries of a directory at `ref`, or null when absent. */
  listDirectory(path: string, ref?: string): Promise<ForgeDirEntry[] | null>;
  /** Commits one file to a branch (creating the branch when missing); no commit when unchanged. */
  commitFile(input: CommitFileInput): Promise<CommitFileResult>;

  // Workflows
  dispatchWorkflow(input: DispatchInput): Promise<void>;
  listWorkflowRuns(query?: WorkflowRunsQuery): Promise<WorkflowRun[]>;
  /** One workflow run by id (NotFoundError when there is none). */
  getWorkflowRun(runId: number): Promise<WorkflowRun>;
  cancelWorkflowRun(runId: number): Promise<void>;
}
