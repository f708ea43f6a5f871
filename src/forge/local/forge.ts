/**
 * The forge port offline: issues, comments, labels, pull requests, permissions and workflow runs as
 * JSON files under the repository's git common dir (see store.ts for the layout), contents as the
 * repository's own git objects. Same semantics as GitHub, so every flow runs on one machine.
 */
import { userInfo } from "node:os";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { ConflictError, ForgeError, NotFoundError, UsageError } from "../../errors.js";
import { Git } from "../../git/git.js";
import { workflowRunTitle } from "../run-title.js";
import { DEFAULT_LABEL_COLOR, checkMarkedBody, findMarked, labelSpec } from "../markers.js";
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
  IssueState,
  LabelSpec,
  ListIssuesQuery,
  Permission,
  Reaction,
  RepoRef,
  WorkflowRun,
  WorkflowRunsQuery,
} from "../types.js";
import { commitFile, listDirectory, readFile } from "./contents.js";
import { type IssueRecord, LocalStore, type RunRecord, localForgeDir } from "./store.js";

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

const now = () => new Date().toISOString();

export class LocalForge implements Forge {
  readonly kind = "local" as const;
  readonly actor: string;
  readonly store: LocalStore;

  private constructor(
    private readonly git: Git,
    readonly repo: RepoRef,
    stateDir: string,
    private readonly options: LocalForgeOptions,
  ) {
    this.actor = options.actor ?? (process.env.HANDOFF_USER || safeUserName());
    this.store = new LocalStore(stateDir);
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
    return (await this.git.worktreeList())[0]?.branch ?? (await this.git.currentBranch()) ?? "main";
  }

  private url(number: number, anchor?: string): string {
    return `${pathToFileURL(this.store.issueFile(number)).href}${anchor ? `#${anchor}` : ""}`;
  }

  private me() {
    return { login: this.actor, type: "User" };
  }

  private async record(number: number, what: "issue" | "pull request" | "any" = "any"): Promise<IssueRecord> {
    const record = await this.store.readIssue(number);
    if (!record || (what === "pull request" && !record.pull)) {
      throw new NotFoundError(`local forge: ${what === "any" ? "issue" : what} #${number} not found`);
    }
    return record;
  }

  private toIssue(r: IssueRecord): ForgeIssue {
    return {
      number: r.number,
      title: r.title,
      body: r.body,
      state: r.state,
      labels: [...r.labels],
      author: r.author,
      url: this.url(r.number),
      isPullRequest: Boolean(r.pull),
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }

  private async toPull(r: IssueRecord): Promise<ForgePullRequest> {
    const pull = r.pull;
    if (!pull) throw new NotFoundError(`local forge: pull request #${r.number} not found`);
    const sha = (await this.git.showRef(`refs/heads/${pull.head}`)) ?? pull.headSha;
    return {
      number: r.number,
      title: r.title,
      body: r.body,
      state: r.state,
      head: pull.head,
      headSha: sha,
      base: pull.base,
      draft: pull.draft,
      merged: pull.merged,
      author: r.author,
      url: this.url(r.number),
    };
  }

  /** Read, change and write one issue under the lock. */
  private async change(number: number, fn: (r: IssueRecord) => void | Promise<void>): Promise<IssueRecord> {
    return this.store.locked(async () => {
      const record = await this.record(number);
      await fn(record);
      record.updatedAt = now();
      await this.store.writeIssue(record);
      return record;
    });
  }

  // ── issues ────────────────────────────────────────────────────────────────────────────────────

  async getIssue(issue: number): Promise<ForgeIssue> {
    return this.toIssue(await this.record(issue));
  }

  async createIssue(input: {
    title: string;
    body: string;
    labels?: readonly (string | LabelSpec)[];
  }): Promise<ForgeIssue> {
    if (!input.title.trim()) throw new UsageError("an issue needs a title");
    const specs = (input.labels ?? []).map(labelSpec);
    for (const spec of specs) await this.ensureLabel(spec);
    return this.store.locked(async () => {
      const time = now();
      const record: IssueRecord = {
        number: await this.store.next("number"),
        title: input.title,
        body: input.body,
        state: "open",
        labels: [...new Set(specs.map((s) => s.name))],
        author: this.me(),
        createdAt: time,
        updatedAt: time,
        comments: [],
        reactions: [],
        reviews: [],
        reviewComments: [],
      };
      await this.store.writeIssue(record);
      return this.toIssue(record);
    });
  }

  async updateIssue(
    issue: number,
    input: { title?: string; body?: string; state?: IssueState },
  ): Promise<ForgeIssue> {
    const record = await this.change(issue, (r) => {
      if (input.title !== undefined) r.title = input.title;
      if (input.body !== undefined) r.body = input.body;
      if (input.state !== undefined) r.state = input.state;
    });
    return this.toIssue(record);
  }

  closeIssue(issue: number): Promise<ForgeIssue> {
    return this.updateIssue(issue, { state: "closed" });
  }

  async listIssues(query: ListIssuesQuery = {}): Promise<ForgeIssue[]> {
    const state = query.state ?? "open";
    return (await this.store.allIssues())
      .filter((r) => !r.pull)
      .filter((r) => state === "all" || r.state === state)
      .filter((r) => (query.labels ?? []).every((l) => r.labels.includes(l)))
      .map((r) => this.toIssue(r));
  }

  async findIssueByMarker(marker: string, query: ListIssuesQuery = {}): Promise<ForgeIssue | null> {
    return (await this.listIssues({ state: "all", ...query })).find((i) => i.body.includes(marker)) ?? null;
  }

  // ── comments ──────────────────────────────────────────────────────────────────────────────────

  async listComments(issue: number): Promise<ForgeComment[]> {
    return [...(await this.record(issue)).comments];
  }

  async createComment(issue: number, body: string): Promise<ForgeComment> {
    let comment: ForgeComment | undefined;
    await this.change(issue, async (r) => {
      const id = await this.store.next("id");
      const time = now();
      comment = {
        id,
        body,
        author: this.me(),
        url: this.url(issue, `comment-${id}`),
        createdAt: time,
        updatedAt: time,
      };
      r.comments.push(comment);
    });
    if (!comment) throw new ForgeError(`local forge: comment on #${issue} was not written`);
    return comment;
  }

  async updateComment(commentId: number, body: string): Promise<ForgeComment> {
    const holder = (await this.store.allIssues()).find((r) => r.comments.some((c) => c.id === commentId));
    if (!holder) throw new NotFoundError(`local forge: comment ${commentId} not found`);
    let updated: ForgeComment | undefined;
    await this.change(holder.number, (r) => {
      const comment = r.comments.find((c) => c.id === commentId);
      if (!comment) throw new NotFoundError(`local forge: comment ${commentId} not found`);
      comment.body = body;
      comment.updatedAt = now();
      updated = { ...comment };
    });
    if (!updated) throw new NotFoundError(`local forge: comment ${commentId} not found`);
    return updated;
  }

  async upsertComment(
    issue: number,
    marker: string,
    body: string,
  ): Promise<{ comment: ForgeComment; created: boolean }> {
    checkMarkedBody(marker, body);
    const existing = findMarked(await this.listComments(issue), marker);
    if (!existing) return { comment: await this.createComment(issue, body), created: true };
    if (existing.body === body) return { comment: existing, created: false };
    return { comment: await this.updateComment(existing.id, body), created: false };
  }

  // ── labels and reactions ──────────────────────────────────────────────────────────────────────

  async addLabels(issue: number, labels: readonly (string | LabelSpec)[]): Promise<void> {
    const specs = labels.map(labelSpec);
    await this.record(issue);
    for (const spec of specs) await this.ensureLabel(spec);
    await this.change(issue, (r) => {
      for (const spec of specs) if (!r.labels.includes(spec.name)) r.labels.push(spec.name);
    });
  }

  async removeLabel(issue: number, name: string): Promise<void> {
    await this.change(issue, (r) => {
      r.labels = r.labels.filter((l) => l !== name);
    });
  }

  async ensureLabel(label: LabelSpec): Promise<void> {
    if (!label.name.trim()) throw new UsageError("a label needs a name");
    await this.store.locked(async () => {
      const labels = await this.store.labels();
      if (labels[label.name]) return;
      labels[label.name] = {
        color: label.color ?? DEFAULT_LABEL_COLOR,
        description: label.description ?? "",
      };
      await this.store.writeLabels(labels);
    });
  }

  async addReaction(target: { commentId: number } | { issue: number }, content: Reaction): Promise<void> {
    const number =
      "issue" in target
        ? target.issue
        : (await this.store.allIssues()).find((r) => r.comments.some((c) => c.id === target.commentId))
            ?.number;
    if (number === undefined)
      throw new NotFoundError(
        `local forge: comment ${"commentId" in target ? target.commentId : ""} not found`,
      );
    const commentId = "commentId" in target ? target.commentId : null;
    await this.change(number, (r) => {
      const duplicate = r.reactions.some(
        (x) => x.commentId === commentId && x.content === content && x.user === this.actor,
      );
      if (!duplicate) r.reactions.push({ commentId, content, user: this.actor });
    });
  }

  // ── pull requests ─────────────────────────────────────────────────────────────────────────────

  async findPullRequest(query: { head: string; base?: string }): Promise<ForgePullRequest | null> {
    const open = await this.listPullRequests({ state: "open", ...(query.base ? { base: query.base } : {}) });
    return open.find((p) => p.head === query.head) ?? null;
  }

  async getPullRequest(pr: number): Promise<ForgePullRequest> {
    return this.toPull(await this.record(pr, "pull request"));
  }

  async listPullRequests(
    query: { state?: IssueState | "all"; base?: string } = {},
  ): Promise<ForgePullRequest[]> {
    const state = query.state ?? "open";
    const records = (await this.store.allIssues())
      .filter((r) => r.pull && (state === "all" || r.state === state))
      .filter((r) => !query.base || r.pull?.base === query.base);
    return Promise.all(records.map((r) => this.toPull(r)));
  }

  async createPullRequest(input: {
    head: string;
    base: string;
    title: string;
    body: string;
    draft?: boolean;
  }): Promise<ForgePullRequest> {
    const headSha = await this.git.showRef(`refs/heads/${input.head}`);
    if (!headSha) throw new ForgeError(`local forge: open a pull request from ${input.head}: no such branch`);
    if (!(await this.git.showRef(`refs/heads/${input.base}`))) {
      throw new ForgeError(`local forge: open a pull request into ${input.base}: no such branch`);
    }
    return this.store.locked(async () => {
      // GitHub refuses a second open pull request for the same head and base (422); so do we.
      const open = (await this.store.allIssues()).find(
        (r) => r.state === "open" && r.pull?.head === input.head && r.pull.base === input.base,
      );
      if (open)
        throw new ConflictError(
          `local forge: pull request #${open.number} from ${input.head} into ${input.base} is already open`,
        );
      const time = now();
      const record: IssueRecord = {
        number: await this.store.next("number"),
        title: input.title,
        body: input.body,
        state: "open",
        labels: [],
        author: this.me(),
        createdAt: time,
        updatedAt: time,
        pull: {
          head: input.head,
          base: input.base,
          headSha,
          draft: input.draft ?? false,
          merged: false,
          requestedReviewers: [],
        },
        comments: [],
        reactions: [],
        reviews: [],
        reviewComments: [],
      };
      await this.store.writeIssue(record);
      return this.toPull(record);
    });
  }

  async updatePullRequest(
    pr: number,
    input: { title?: string; body?: string; base?: string; state?: IssueState },
  ): Promise<ForgePullRequest> {
    await this.record(pr, "pull request");
    const record = await this.change(pr, (r) => {
      if (input.title !== undefined) r.title = input.title;
      if (input.body !== undefined) r.body = input.body;
      if (input.state !== undefined) r.state = input.state;
      if (input.base !== undefined && r.pull) r.pull.base = input.base;
    });
    return this.toPull(record);
  }

  async requestReviewers(pr: number, reviewers: readonly string[]): Promise<void> {
    await this.record(pr, "pull request");
    await this.change(pr, (r) => {
      if (r.pull) r.pull.requestedReviewers = [...new Set([...r.pull.requestedReviewers, ...reviewers])];
    });
  }

  async listReviews(pr: number): Promise<ForgeReview[]> {
    return [...(await this.record(pr, "pull request")).reviews];
  }

  async listReviewComments(pr: number, reviewId?: number): Promise<ForgeReviewComment[]> {
    const all = (await this.record(pr, "pull request")).reviewComments;
    return reviewId === undefined ? [...all] : all.filter((c) => c.reviewId === reviewId);
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

  // ── contents ──────────────────────────────────────────────────────────────────────────────────

  async readFile(path: string, ref?: string): Promise<ForgeFile | null> {
    return readFile(this.git, path, ref ?? (await this.defaultBranch()));
  }

  async listDirectory(path: string, ref?: string): Promise<ForgeDirEntry[] | null> {
    return listDirectory(this.git, path, ref ?? (await this.defaultBranch()));
  }

  commitFile(input: CommitFileInput): Promise<CommitFileResult> {
    return commitFile(this.git, input, () => this.defaultBranch());
  }

  // ── workflows ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Records the dispatch as a workflow run and, with a dispatcher, runs the work at once. As on
   * GitHub, the dispatch itself succeeds whatever the work does; the run record says how it ended.
   */
  async dispatchWorkflow(input: DispatchInput): Promise<void> {
    const run = await this.store.locked(async () => {
      const time = now();
      const record: RunRecord = {
        id: await this.store.next("id"),
        workflow: input.workflow,
        ref: input.ref,
        inputs: { ...input.inputs },
        actor: this.actor,
        status: "queued",
        conclusion: null,
        createdAt: time,
        updatedAt: time,
      };
      await this.store.writeRun(record);
      return record;
    });
    const dispatcher = this.options.dispatcher;
    if (!dispatcher) return;
    const started: RunRecord = { ...run, status: "in_progress", updatedAt: now() };
    await this.store.writeRun(started);
    await this.options.onWorkflowRun?.("in_progress", this.toRun(started));
    let conclusion = "success";
    let error: string | undefined;
    try {
      await dispatcher({ ...input, runId: run.id, forge: this });
    } catch (failure) {
      conclusion = "failure";
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const latest = (await this.store.readRun(run.id)) ?? run;
    if (latest.status === "completed") return; // cancelled meanwhile (which told onWorkflowRun)
    const ended: RunRecord = {
      ...latest,
      status: "completed",
      conclusion,
      ...(error ? { error } : {}),
      updatedAt: now(),
    };
    await this.store.writeRun(ended);
    await this.options.onWorkflowRun?.("completed", this.toRun(ended));
  }

  async listWorkflowRuns(query: WorkflowRunsQuery = {}): Promise<WorkflowRun[]> {
    const runs = (await this.store.allRuns())
      .filter((r) => !query.workflow || r.workflow === query.workflow)
      .filter((r) => !query.branch || r.ref === query.branch)
      .filter((r) => !query.status || r.status === query.status || r.conclusion === query.status)
      .sort((a, b) => b.id - a.id)
      .map((r) => this.toRun(r));
    return query.limit === undefined ? runs : runs.slice(0, Math.max(1, Math.min(query.limit, 100)));
  }

  async getWorkflowRun(runId: number): Promise<WorkflowRun> {
    const run = await this.store.readRun(runId);
    if (!run) throw new NotFoundError(`local forge: workflow run ${runId} not found`);
    return this.toRun(run);
  }

  private toRun(r: RunRecord): WorkflowRun {
    return {
      id: r.id,
      workflow: r.workflow,
      name: r.workflow.replace(/\.ya?ml$/, ""),
      displayTitle: workflowRunTitle(r.workflow, r.inputs),
      event: "workflow_dispatch",
      status: r.status,
      conclusion: r.conclusion,
      headBranch: r.ref,
      url: pathToFileURL(this.store.file("runs", `${r.id}.json`)).href,
      createdAt: r.createdAt,
    };
  }

  async cancelWorkflowRun(runId: number): Promise<void> {
    const cancelled = await this.store.locked(async () => {
      const run = await this.store.readRun(runId);
      if (!run) throw new NotFoundError(`local forge: workflow run ${runId} not found`);
      // GitHub answers 409 for a run that already finished.
      if (run.status === "completed")
        throw new ConflictError(`local forge: workflow run ${runId} already completed`);
      const ended: RunRecord = { ...run, status: "completed", conclusion: "cancelled", updatedAt: now() };
      await this.store.writeRun(ended);
      return ended;
    });
    await this.options.onWorkflowRun?.("completed", this.toRun(cancelled));
  }
}

function safeUserName(): string {
  try {
    return userInfo().username || "local";
  } catch {
    return "local";
  }
}
