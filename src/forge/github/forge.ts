/**
 * The forge port over GitHub's REST API. One Octokit does every call: Probot's `context.octokit` in
 * the app, `createOctokit()` (throttling + retry) elsewhere. Lists are paginated 100 at a time, every
 * response is parsed with the schema of the fields used, and every failure names the operation.
 */
import { ForgeError } from "../../errors.js";
import { DEFAULT_LABEL_COLOR, labelSpec, upsertMarkedComment } from "../markers.js";
import {
  type CommitFileInput,
  type CommitFileResult,
  type DispatchInput,
  type Forge,
  type ForgeComment,
  type ForgeDirEntry,
  type ForgeFile,
  type ForgeIssue,
  type ForgePullRequest,
  type ForgeReview,
  type ForgeReviewComment,
  type IssueUpdate,
  type LabelSpec,
  type ListIssuesQuery,
  type ListPullRequestsQuery,
  type NewIssue,
  type NewPullRequest,
  type Permission,
  type ReadAhead,
  type ForgeWrite,
  PermissionSchema,
  type PullRequestUpdate,
  type Reaction,
  type RepoRef,
  type UpsertedComment,
  type WorkflowRun,
  type WorkflowRunsQuery,
} from "../types.js";
import { commitFile, listDirectory, readFile } from "./contents.js";
import {
  type GitHubApi,
  PER_PAGE,
  call,
  callOrNull,
  httpStatus,
  parseResponse,
  toComment,
  toIssue,
  toPullRequest,
} from "./map.js";
import { writeEach } from "../writes.js";
import type { BulkItem, BulkValue } from "./graphql.js";
import { writeWithMutation } from "./mutations.js";
import type { ForgeOctokit } from "./octokit.js";
import { ALL_ISSUES, ReadCache, readAhead } from "./prefetch.js";
import { CollaboratorPermissionSchema, RepositorySchema } from "./schema.js";
import * as reviews from "./reviews.js";
import * as workflows from "./workflows.js";

export class GitHubForge implements Forge {
  readonly kind = "github" as const;
  private defaultBranchName: string | undefined;
  /** What prefetch() read; a GitHubForge lives for one delivery or command (see prefetch.ts). */
  private readonly cache = new ReadCache();
  private readonly permissions = new Map<string, Promise<Permission>>();

  constructor(
    private readonly octokit: ForgeOctokit,
    readonly repo: RepoRef,
  ) {}

  private get where(): string {
    return `${this.repo.owner}/${this.repo.repo}`;
  }

  async defaultBranch(): Promise<string> {
    if (this.defaultBranchName) return this.defaultBranchName;
    const op = `get repository ${this.where}`;
    const { data } = await call(op, () => this.octokit.rest.repos.get({ ...this.repo }));
    this.defaultBranchName = parseResponse(RepositorySchema, data, op).default_branch;
    return this.defaultBranchName;
  }

  /**
   * One GraphQL request for the announced reads not made yet (none: no request). A hint: when GitHub
   * cannot answer it (an API without GraphQL, an outage), the reads are made through REST as before,
   * and those say what failed.
   */
  async prefetch(reads: ReadAhead): Promise<void> {
    try {
      await readAhead(this.octokit, this.repo, this.cache, reads);
    } catch (error) {
      if (!(error instanceof ForgeError)) throw error;
    }
  }

  /**
   * prefetch() plus `extra` items, e.g. another repository's files, in the same request; returns the
   * extra items' values (undefined: GraphQL could not say, read it through REST).
   */
  prefetchWith(reads: ReadAhead, extra: readonly BulkItem[]): Promise<(BulkValue | undefined)[]> {
    return readAhead(this.octokit, this.repo, this.cache, reads, extra);
  }

  /**
   * GraphQL ids a webhook payload carries (`issue.node_id`, `comment.node_id`), so a write mutation
   * needs no read to learn them.
   */
  knowNodeIds(ids: { issues?: Record<number, string>; comments?: Record<number, string> }): void {
    for (const [n, id] of Object.entries(ids.issues ?? {}))
      if (id) this.cache.nodeIds.issues.set(Number(n), id);
    for (const [n, id] of Object.entries(ids.comments ?? {}))
      if (id) this.cache.nodeIds.comments.set(Number(n), id);
  }

  /** Independent writes in one GraphQL mutation when their ids are known, else one by one (REST). */
  async writeAll(writes: readonly ForgeWrite[]): Promise<(ForgeComment | null)[]> {
    const done = await writeWithMutation(this.octokit, writes, this.cache.nodeIds, this.where);
    if (!done) return writeEach(this, writes);
    this.cache.commentsChanged();
    this.cache.issuesChanged();
    return done;
  }

  // ── issues ────────────────────────────────────────────────────────────────────────────────────

  async getIssue(issue: number): Promise<ForgeIssue> {
    const op = `get issue #${issue} of ${this.where}`;
    const { data } = await call(op, () =>
      this.octokit.rest.issues.get({ ...this.repo, issue_number: issue }),
    );
    return toIssue(data, op);
  }

  async createIssue(input: NewIssue): Promise<ForgeIssue> {
    const labels = (input.labels ?? []).map(labelSpec);
    for (const label of labels) if (label.color || label.description) await this.ensureLabel(label);
    const op = `create issue in ${this.where}`;
    this.cache.issuesChanged();
    const { data } = await call(op, () =>
      this.octokit.rest.issues.create({
        ...this.repo,
        title: input.title,
        body: input.body,
        ...(labels.length ? { labels: labels.map((l) => l.name) } : {}),
      }),
    );
    return toIssue(data, op);
  }

  async updateIssue(issue: number, input: IssueUpdate): Promise<ForgeIssue> {
    const op = `update issue #${issue} of ${this.where}`;
    this.cache.issuesChanged();
    const { data } = await call(op, () =>
      this.octokit.rest.issues.update({ ...this.repo, issue_number: issue, ...input }),
    );
    return toIssue(data, op);
  }

  closeIssue(issue: number): Promise<ForgeIssue> {
    return this.updateIssue(issue, { state: "closed" });
  }

  async listIssues(query: ListIssuesQuery = {}): Promise<ForgeIssue[]> {
    const label = query.labels?.length ? (query.labels.length === 1 ? query.labels[0]! : null) : ALL_ISSUES;
    const known = label && (query.state ?? "open") === "open" ? this.cache.openIssues.get(label) : undefined;
    if (known) return [...known];
    const op = `list issues of ${this.where}`;
    const items = await call(op, () =>
      this.octokit.paginate(this.octokit.rest.issues.listForRepo, {
        ...this.repo,
        state: query.state ?? "open",
        ...(query.labels?.length ? { labels: query.labels.join(",") } : {}),
        per_page: PER_PAGE,
      }),
    );
    return items.map((item) => toIssue(item, op)).filter((i) => !i.isPullRequest);
  }

  async findIssueByMarker(marker: string, query: ListIssuesQuery = {}): Promise<ForgeIssue | null> {
    const issues = await this.listIssues({ state: "all", ...query });
    return issues.find((i) => i.body.includes(marker)) ?? null;
  }

  // ── comments ──────────────────────────────────────────────────────────────────────────────────

  async listComments(issue: number): Promise<ForgeComment[]> {
    const known = this.cache.comments.get(issue);
    if (known) return [...known];
    const op = `list comments of #${issue} of ${this.where}`;
    const items = await call(op, () =>
      this.octokit.paginate(this.octokit.rest.issues.listComments, {
        ...this.repo,
        issue_number: issue,
        per_page: PER_PAGE,
      }),
    );
    return items.map((item) => toComment(item, op));
  }

  async createComment(issue: number, body: string): Promise<ForgeComment> {
    const op = `comment on #${issue} of ${this.where}`;
    this.cache.commentsChanged();
    const { data } = await call(op, () =>
      this.octokit.rest.issues.createComment({ ...this.repo, issue_number: issue, body }),
    );
    return toComment(data, op);
  }

  async updateComment(commentId: number, body: string): Promise<ForgeComment> {
    const op = `update comment ${commentId} of ${this.where}`;
    this.cache.commentsChanged();
    const { data } = await call(op, () =>
      this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: commentId, body }),
    );
    return toComment(data, op);
  }

  upsertComment(issue: number, marker: string, body: string): Promise<UpsertedComment> {
    return upsertMarkedComment(this, issue, marker, body);
  }

  // ── labels and reactions ──────────────────────────────────────────────────────────────────────

  async addLabels(issue: number, labels: readonly (string | LabelSpec)[]): Promise<void> {
    if (!labels.length) return;
    const specs = labels.map(labelSpec);
    // GitHub itself creates a missing label on add, but grey and without a description.
    for (const spec of specs) if (spec.color || spec.description) await this.ensureLabel(spec);
    this.cache.issuesChanged();
    await call(`label #${issue} of ${this.where}`, () =>
      this.octokit.rest.issues.addLabels({
        ...this.repo,
        issue_number: issue,
        labels: specs.map((s) => s.name),
      }),
    );
  }

  async removeLabel(issue: number, name: string): Promise<void> {
    this.cache.issuesChanged();
    await callOrNull(`remove label ${name} from #${issue} of ${this.where}`, () =>
      this.octokit.rest.issues.removeLabel({ ...this.repo, issue_number: issue, name }),
    );
  }

  async ensureLabel(label: LabelSpec): Promise<void> {
    // Read ahead: every label of the repository is known, so one that exists costs nothing.
    const known = this.cache.labels;
    if (known?.has(label.name)) return;
    const exists =
      !known &&
      (await callOrNull(`get label ${label.name} of ${this.where}`, () =>
        this.octokit.rest.issues.getLabel({ ...this.repo, name: label.name }),
      ));
    if (exists) return;
    known?.add(label.name);
    try {
      await this.octokit.rest.issues.createLabel({
        ...this.repo,
        name: label.name,
        color: label.color ?? DEFAULT_LABEL_COLOR,
        ...(label.description ? { description: label.description } : {}),
      });
    } catch (error) {
      // 422 "already_exists": another replica created it between our read and our write.
      if (httpStatus(error) === 422) return;
      await call(`create label ${label.name} in ${this.where}`, () => Promise.reject(error));
    }
  }

  async addReaction(target: { commentId: number } | { issue: number }, content: Reaction): Promise<void> {
    if ("commentId" in target) {
      await call(`react to comment ${target.commentId} of ${this.where}`, () =>
        this.octokit.rest.reactions.createForIssueComment({
          ...this.repo,
          comment_id: target.commentId,
          content,
        }),
      );
    } else {
      await call(`react to #${target.issue} of ${this.where}`, () =>
        this.octokit.rest.reactions.createForIssue({ ...this.repo, issue_number: target.issue, content }),
      );
    }
  }

  // ── pull requests (reviews in reviews.ts) ─────────────────────────────────────────────────────────────────────────────

  async findPullRequest(query: { head: string; base?: string }): Promise<ForgePullRequest | null> {
    const op = `find the open pull request of ${query.head} in ${this.where}`;
    const { data } = await call(op, () =>
      this.octokit.rest.pulls.list({
        ...this.repo,
        state: "open",
        head: `${this.repo.owner}:${query.head}`,
        ...(query.base ? { base: query.base } : {}),
        per_page: PER_PAGE,
      }),
    );
    const pulls = data.map((item) => toPullRequest(item, op));
    return pulls.find((p) => p.head === query.head) ?? null;
  }

  async getPullRequest(pr: number): Promise<ForgePullRequest> {
    const op = `get pull request #${pr} of ${this.where}`;
    const { data } = await call(op, () => this.octokit.rest.pulls.get({ ...this.repo, pull_number: pr }));
    return toPullRequest(data, op);
  }

  async listPullRequests(query: ListPullRequestsQuery = {}): Promise<ForgePullRequest[]> {
    const known = (query.state ?? "open") === "open" && !query.base ? this.cache.openPulls : null;
    if (known) return [...known];
    const op = `list pull requests of ${this.where}`;
    const items = await call(op, () =>
      this.octokit.paginate(this.octokit.rest.pulls.list, {
        ...this.repo,
        state: query.state ?? "open",
        ...(query.base ? { base: query.base } : {}),
        per_page: PER_PAGE,
      }),
    );
    return items.map((item) => toPullRequest(item, op));
  }

  async createPullRequest(input: NewPullRequest): Promise<ForgePullRequest> {
    const op = `open a pull request from ${input.head} into ${input.base} of ${this.where}`;
    this.cache.issuesChanged();
    const { data } = await call(op, () =>
      this.octokit.rest.pulls.create({ ...this.repo, ...input, draft: input.draft ?? false }),
    );
    return toPullRequest(data, op);
  }

  async updatePullRequest(pr: number, input: PullRequestUpdate): Promise<ForgePullRequest> {
    const op = `update pull request #${pr} of ${this.where}`;
    this.cache.issuesChanged();
    const { data } = await call(op, () =>
      this.octokit.rest.pulls.update({ ...this.repo, pull_number: pr, ...input }),
    );
    return toPullRequest(data, op);
  }

  requestReviewers(pr: number, reviewers: readonly string[]): Promise<void> {
    return reviews.requestReviewers(this.api, pr, reviewers);
  }

  listReviews(pr: number): Promise<ForgeReview[]> {
    return reviews.listReviews(this.api, pr);
  }

  listReviewComments(pr: number, reviewId?: number): Promise<ForgeReviewComment[]> {
    return reviews.listReviewComments(this.api, pr, reviewId);
  }

  // ── permission ────────────────────────────────────────────────────────────────────────────────

  /**
   * The sender's permission, asked once per forge (one delivery): a handler may start the request
   * beside its bulk read, and the flow's own check then waits for that answer instead of asking again.
   */
  getPermission(login: string): Promise<Permission> {
    let asked = this.permissions.get(login);
    if (!asked) {
      asked = this.askPermission(login);
      this.permissions.set(login, asked);
      // A failure is the flow's to report when it awaits the answer; forget it, so it asks again.
      asked.catch(() => this.permissions.delete(login));
    }
    return asked;
  }

  private async askPermission(login: string): Promise<Permission> {
    const op = `get the permission of ${login} on ${this.where}`;
    const response = await callOrNull(op, () =>
      this.octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.repo, username: login }),
    );
    if (!response) return "none";
    const data = parseResponse(CollaboratorPermissionSchema, response.data, op);
    // A custom role's name is not one of ours; its base permission (legacy field) is.
    const role = PermissionSchema.safeParse(data.role_name);
    if (role.success) return role.data;
    const legacy = PermissionSchema.safeParse(data.permission);
    return legacy.success ? legacy.data : "none";
  }

  // ── contents ──────────────────────────────────────────────────────────────────────────────────

  async readFile(path: string, ref?: string): Promise<ForgeFile | null> {
    const known = this.cache.file(path, ref);
    return known !== undefined ? known : readFile(this.octokit, this.repo, path, ref);
  }

  async listDirectory(path: string, ref?: string): Promise<ForgeDirEntry[] | null> {
    const known = this.cache.folder(path, ref);
    return known !== undefined ? known : listDirectory(this.octokit, this.repo, path, ref);
  }

  async commitFile(input: CommitFileInput): Promise<CommitFileResult> {
    const known = {
      head: this.cache.branches.get(input.branch),
      existing: this.cache.file(input.path, input.branch),
    };
    try {
      return await commitFile(this.octokit, this.repo, input, () => this.defaultBranch(), known);
    } finally {
      this.cache.committed(input.branch);
    }
  }

  // ── workflows (workflows.ts) ──────────────────────────────────────────────────────────────────

  dispatchWorkflow(input: DispatchInput): Promise<void> {
    return workflows.dispatchWorkflow(this.api, input);
  }

  listWorkflowRuns(query: WorkflowRunsQuery = {}): Promise<WorkflowRun[]> {
    return workflows.listWorkflowRuns(this.api, query);
  }

  getWorkflowRun(runId: number): Promise<WorkflowRun> {
    return workflows.getWorkflowRun(this.api, runId);
  }

  cancelWorkflowRun(runId: number): Promise<void> {
    return workflows.cancelWorkflowRun(this.api, runId);
  }

  /** What the modules of this forge call GitHub with. */
  private get api(): GitHubApi {
    return { octokit: this.octokit, repo: this.repo, where: this.where };
  }
}
