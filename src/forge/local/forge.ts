/**
 * The forge port offline: issues, comments, labels, pull requests, permissions and workflow runs as
 * JSON files under the repository's git common dir (see store.ts for the layout), contents as the
 * repository's own git objects. Same semantics as GitHub, so every flow runs on one machine. Each
 * concern lives in its own module (issues, pulls, workflows, contents); this class composes them.
 */
import { userInfo } from "node:os";
import { basename } from "node:path";
import { Git } from "../../git/git.js";
import { upsertMarkedComment } from "../markers.js";
import type {
  CommitFileInput,
  CommitFileResult,
  DispatchInput,
  Forge,
  ForgeComment,
  ForgeDirEntry,
  ForgeFile,
  ForgeIssue,
  ForgePullRequest,
  ForgeReview,
  ForgeReviewComment,
  IssueUpdate,
  LabelSpec,
  ListIssuesQuery,
  ListPullRequestsQuery,
  NewIssue,
  NewPullRequest,
  Permission,
  PullRequestUpdate,
  Reaction,
  RepoRef,
  UpsertedComment,
  WorkflowRun,
  WorkflowRunsQuery,
} from "../types.js";
import { commitFile, listDirectory, readFile } from "./contents.js";
import * as issues from "./issues.js";
import * as pulls from "./pulls.js";
import { LocalRecords } from "./records.js";
import { LocalStore, localForgeDir } from "./store.js";
import * as workflows from "./workflows.js";

/** What a local dispatch hands to whoever runs the workflow's work at once (the CLI's runner). */
export interface LocalDispatch extends DispatchInput {
  runId: number;
  forge: LocalForge;
}

export interface LocalForgeOptions {
  /** Who this forge acts as (comment author, issue author); always admin. Default: the OS user. */
  actor?: string;
  /** Runs a dispatched workflow's work at once; without it a dispatch stays `queued`. */
  dispatcher?: (dispatch: LocalDispatch) => Promise<void>;
  /**
   * Told when a workflow run starts and ends, the way GitHub sends `workflow_run` webhooks: the
   * offline faces hand these to the same flow the app runs on the webhook.
   */
  onWorkflowRun?: (action: "in_progress" | "completed", run: WorkflowRun) => Promise<void>;
  /** Overrides the state folder (default `<git-common-dir>/handoff/forge`). */
  stateDir?: string;
}

export class LocalForge implements Forge {
  readonly kind = "local" as const;
  readonly actor: string;
  readonly store: LocalStore;
  private readonly records: LocalRecords;

  private constructor(
    private readonly git: Git,
    readonly repo: RepoRef,
    stateDir: string,
    private readonly options: LocalForgeOptions,
  ) {
    this.actor = options.actor ?? (process.env.HANDOFF_USER || safeUserName());
    this.store = new LocalStore(stateDir);
    this.records = new LocalRecords(git, this.store, this.actor);
  }

  /** The local forge of the repository containing `cwd` (any of its worktrees). */
  static async open(cwd: string, options: LocalForgeOptions = {}): Promise<LocalForge> {
    const git = new Git(cwd);
    const commonDir = await git.commonDir();
    const main = await git.mainWorktree();
    return new LocalForge(
      git.at(main),
      { owner: "local", repo: basename(main) },
      options.stateDir ?? localForgeDir(commonDir),
      options,
    );
  }

  /** The same forge acting as another user (the CLI's `--as`, tests of permission refusals). */
  as(actor: string): LocalForge {
    return new LocalForge(this.git, this.repo, this.store.dir, { ...this.options, actor });
  }

  /** The branch checked out in the main worktree: the local repository's default branch. */
  async defaultBranch(): Promise<string> {
    return (await this.git.worktreeList())[0]?.branch ?? (await this.git.tryCurrentBranch()) ?? "main";
  }

  // ── issues, comments, labels and reactions (issues.ts) ────────────────────────────────────────

  async getIssue(issue: number): Promise<ForgeIssue> {
    return this.records.toIssue(await this.records.get(issue));
  }

  createIssue(input: NewIssue): Promise<ForgeIssue> {
    return issues.createIssue(this.records, input);
  }

  /**
   * Writes issue `number` as given (migrating an issue kept elsewhere, e.g. the old
   * `.handoff/issues/<N>.json`); later issues are numbered after it. Refuses a number already taken.
   */
  importIssue(number: number, input: issues.ImportedIssue): Promise<ForgeIssue> {
    return issues.importIssue(this.records, number, input);
  }

  updateIssue(issue: number, input: IssueUpdate): Promise<ForgeIssue> {
    return issues.updateIssue(this.records, issue, input);
  }

  closeIssue(issue: number): Promise<ForgeIssue> {
    return this.updateIssue(issue, { state: "closed" });
  }

  listIssues(query: ListIssuesQuery = {}): Promise<ForgeIssue[]> {
    return issues.listIssues(this.records, query);
  }

  async findIssueByMarker(marker: string, query: ListIssuesQuery = {}): Promise<ForgeIssue | null> {
    return (await this.listIssues({ state: "all", ...query })).find((i) => i.body.includes(marker)) ?? null;
  }

  async listComments(issue: number): Promise<ForgeComment[]> {
    return [...(await this.records.get(issue)).comments];
  }

  createComment(issue: number, body: string): Promise<ForgeComment> {
    return issues.createComment(this.records, issue, body);
  }

  updateComment(commentId: number, body: string): Promise<ForgeComment> {
    return issues.updateComment(this.records, commentId, body);
  }

  upsertComment(issue: number, marker: string, body: string): Promise<UpsertedComment> {
    return upsertMarkedComment(this, issue, marker, body);
  }

  addLabels(issue: number, labels: readonly (string | LabelSpec)[]): Promise<void> {
    return issues.addLabels(this.records, issue, labels);
  }

  removeLabel(issue: number, name: string): Promise<void> {
    return issues.removeLabel(this.records, issue, name);
  }

  ensureLabel(label: LabelSpec): Promise<void> {
    return issues.ensureLabel(this.records, label);
  }

  addReaction(target: { commentId: number } | { issue: number }, content: Reaction): Promise<void> {
    return issues.addReaction(this.records, target, content);
  }

  // ── pull requests and reviews (pulls.ts) ──────────────────────────────────────────────────────

  async findPullRequest(query: { head: string; base?: string }): Promise<ForgePullRequest | null> {
    const open = await this.listPullRequests({ state: "open", ...(query.base ? { base: query.base } : {}) });
    return open.find((p) => p.head === query.head) ?? null;
  }

  async getPullRequest(pr: number): Promise<ForgePullRequest> {
    return this.records.toPull(await this.records.get(pr, "pull request"));
  }

  listPullRequests(query: ListPullRequestsQuery = {}): Promise<ForgePullRequest[]> {
    return pulls.listPullRequests(this.records, query);
  }

  createPullRequest(input: NewPullRequest): Promise<ForgePullRequest> {
    return pulls.createPullRequest(this.records, input);
  }

  updatePullRequest(pr: number, input: PullRequestUpdate): Promise<ForgePullRequest> {
    return pulls.updatePullRequest(this.records, pr, input);
  }

  requestReviewers(pr: number, reviewers: readonly string[]): Promise<void> {
    return pulls.requestReviewers(this.records, pr, reviewers);
  }

  listReviews(pr: number): Promise<ForgeReview[]> {
    return pulls.listReviews(this.records, pr);
  }

  listReviewComments(pr: number, reviewId?: number): Promise<ForgeReviewComment[]> {
    return pulls.listReviewComments(this.records, pr, reviewId);
  }

  /** Submits a review as this forge's actor (the CLI's `handoff pr review`; GitHub has its own UI). */
  submitReview(pr: number, input: pulls.NewReview): Promise<ForgeReview> {
    return pulls.submitReview(this.records, pr, input);
  }

  // ── permission ────────────────────────────────────────────────────────────────────────────────

  /** The forge's own actor is admin; everyone else has what `users.json` says, else `none`. */
  async getPermission(login: string): Promise<Permission> {
    if (login === this.actor) return "admin";
    return (await this.store.users())[login] ?? "none";
  }

  /** Sets a user's permission in `users.json` (the CLI's and tests' way to add collaborators). */
  async setPermission(login: string, permission: Permission): Promise<void> {
    await this.store.locked(async () => {
      const users = await this.store.users();
      users[login] = permission;
      await this.store.writeUsers(users);
    });
  }

  // ── contents (contents.ts) ────────────────────────────────────────────────────────────────────

  async readFile(path: string, ref?: string): Promise<ForgeFile | null> {
    return readFile(this.git, path, ref ?? (await this.defaultBranch()));
  }

  async listDirectory(path: string, ref?: string): Promise<ForgeDirEntry[] | null> {
    return listDirectory(this.git, path, ref ?? (await this.defaultBranch()));
  }

  commitFile(input: CommitFileInput): Promise<CommitFileResult> {
    return commitFile(this.git, input, () => this.defaultBranch());
  }

  // ── workflows (workflows.ts) ──────────────────────────────────────────────────────────────────

  /**
   * Records the dispatch as a workflow run and, with a dispatcher, runs the work at once. As on
   * GitHub, the dispatch itself succeeds whatever the work does; the run record says how it ended.
   */
  dispatchWorkflow(input: DispatchInput): Promise<void> {
    const { dispatcher } = this.options;
    return workflows.dispatchWorkflow(this.records, input, {
      ...this.runHooks(),
      ...(dispatcher ? { dispatch: (runId: number) => dispatcher({ ...input, runId, forge: this }) } : {}),
    });
  }

  listWorkflowRuns(query: WorkflowRunsQuery = {}): Promise<WorkflowRun[]> {
    return workflows.listWorkflowRuns(this.store, query);
  }

  getWorkflowRun(runId: number): Promise<WorkflowRun> {
    return workflows.getWorkflowRun(this.store, runId);
  }

  cancelWorkflowRun(runId: number): Promise<void> {
    return workflows.cancelWorkflowRun(this.store, runId, this.runHooks());
  }

  private runHooks(): workflows.RunHooks {
    const { onWorkflowRun } = this.options;
    return onWorkflowRun ? { onWorkflowRun } : {};
  }
}

function safeUserName(): string {
  try {
    return userInfo().username || "local";
  } catch {
    return "local";
  }
}
