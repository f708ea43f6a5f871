/**
 * What the GitHub forge read ahead (one GraphQL request, graphql.ts), kept for the rest of one
 * handler's work: a forge lives for one webhook delivery or one CLI command, so this is a read
 * cache of seconds, never the app's state. Every write through the forge drops what it could have
 * made stale, so a flow never reads back an older value than it wrote.
 */
import type {
  ForgeComment,
  ForgeDirEntry,
  ForgeFile,
  ForgeIssue,
  ForgePullRequest,
  ReadAhead,
  RepoRef,
} from "../types.js";
import { type BulkItem, type BulkValue, bulkRead } from "./graphql.js";
import type { ForgeOctokit } from "./octokit.js";

const at = (path: string, ref?: string) => `${ref ?? "HEAD"}:${path}`;
/** The open-issue list of every label. */
export const ALL_ISSUES = "*";

export class ReadCache {
  readonly files = new Map<string, ForgeFile | null>();
  readonly folders = new Map<string, ForgeDirEntry[] | null>();
  readonly comments = new Map<number, ForgeComment[]>();
  /** Open issues by label (ALL_ISSUES: every open issue), each list whole. */
  readonly openIssues = new Map<string, ForgeIssue[]>();
  openPulls: ForgePullRequest[] | null = null;
  readonly branches = new Map<string, string | null>();
  /** Every label of the repository, when it has at most 100 (else unknown: null). */
  labels: Set<string> | null = null;
  /** GraphQL ids (stable, so no write drops them) for the write mutations (mutations.ts). */
  readonly nodeIds = {
    issues: new Map<number, string>(),
    comments: new Map<number, string>(),
    labels: new Map<string, string>(),
  };

  file(path: string, ref?: string): ForgeFile | null | undefined {
    return this.files.get(at(path, ref));
  }

  folder(path: string, ref?: string): ForgeDirEntry[] | null | undefined {
    return this.folders.get(at(path, ref));
  }

  /** A commit to `branch` changes its head and files. */
  committed(branch: string): void {
    this.branches.delete(branch);
    for (const map of [this.files, this.folders])
      for (const key of map.keys()) if (key.startsWith(`${branch}:`)) map.delete(key);
  }

  /** Issues changed (created, edited, closed, labelled): the lists may be stale. */
  issuesChanged(): void {
    this.openIssues.clear();
    this.openPulls = null;
  }

  commentsChanged(): void {
    this.comments.clear();
  }

  /** The bulk items of `reads` not already known. */
  missing(repo: RepoRef, reads: ReadAhead): BulkItem[] {
    const items: BulkItem[] = [];
    for (const f of reads.files ?? [])
      if (this.file(f.path, f.ref) === undefined) items.push({ kind: "file", repo, ...f });
    for (const f of reads.folders ?? [])
      if (this.folder(f.path, f.ref) === undefined) items.push({ kind: "folder", repo, ...f });
    for (const issue of reads.comments ?? [])
      if (!this.comments.has(issue)) items.push({ kind: "comments", repo, issue });
    for (const label of reads.openIssuesLabeled ?? [])
      if (!this.openIssues.has(label)) items.push({ kind: "issues", repo, label });
    if (reads.allOpenIssues && !this.openIssues.has(ALL_ISSUES)) items.push({ kind: "issues", repo });
    if (reads.openPullRequests && !this.openPulls) items.push({ kind: "pulls", repo });
    if (reads.labels && !this.labels) items.push({ kind: "labels", repo });
    for (const branch of reads.branches ?? [])
      if (!this.branches.has(branch)) items.push({ kind: "branch", repo, branch });
    return items;
  }

  /** Keeps what a bulk read returned for `items` (undefined values stay unknown). */
  keep(items: readonly BulkItem[], values: readonly (BulkValue | undefined)[]): void {
    items.forEach((item, i) => {
      const v = values[i];
      if (!v) return;
      if (item.kind === "file" && v.kind === "file") this.files.set(at(item.path, item.ref), v.file);
      if (item.kind === "folder" && v.kind === "folder") {
        this.folders.set(at(item.path, item.ref), v.entries);
        for (const sub of v.subfolders) this.folders.set(at(sub.path, item.ref), sub.entries);
        for (const file of v.files) this.files.set(at(file.path, item.ref), file);
      }
      if (item.kind === "comments" && v.kind === "comments") {
        if (v.complete) this.comments.set(item.issue, v.comments);
        this.nodeIds.issues.set(item.issue, v.nodeId);
        for (const [id, node] of v.commentNodeIds) this.nodeIds.comments.set(id, node);
      }
      if (item.kind === "labels" && v.kind === "labels") {
        if (v.complete) this.labels = new Set(v.names);
        for (const [name, node] of v.ids) this.nodeIds.labels.set(name, node);
      }
      if (item.kind === "branch" && v.kind === "branch") this.branches.set(item.branch, v.head);
    });
  }
}

/**
 * Reads `reads` (those not known yet) plus `extra` items (another repository's files: the owner's
 * `.github` config) in one request, then follows the open-issue lists page by page (one request per
 * further 100). Returns the extra items' values.
 */
export async function readAhead(
  octokit: ForgeOctokit,
  repo: RepoRef,
  cache: ReadCache,
  reads: ReadAhead,
  extra: readonly BulkItem[] = [],
): Promise<(BulkValue | undefined)[]> {
  const items = [...cache.missing(repo, reads), ...extra];
  if (!items.length) return [];
  const values = await bulkRead(octokit, items);
  cache.keep(items, values);
  await followPages(octokit, repo, cache, items, values);
  return values.slice(items.length - extra.length);
}

type ListItem = Extract<BulkItem, { kind: "issues" | "pulls" }>;
type ListValue = Extract<BulkValue, { kind: "issues" | "pulls" }>;

/**
 * The lists (open issues, open pull requests) whose first page came with the rest: their further
 * pages, every list's next page in the same request, until each is whole; then kept. A list of
 * which a page could not be read is not kept (REST lists it).
 */
async function followPages(
  octokit: ForgeOctokit,
  repo: RepoRef,
  cache: ReadCache,
  items: readonly BulkItem[],
  values: readonly (BulkValue | undefined)[],
): Promise<void> {
  const lists: { item: ListItem; rows: unknown[]; next: string | null; whole: boolean }[] = [];
  items.forEach((item, i) => {
    const v = values[i];
    if ((item.kind === "issues" || item.kind === "pulls") && v && v.kind === item.kind)
      lists.push({ item, rows: rowsOf(v), next: v.next, whole: true });
  });
  for (let open = lists.filter((l) => l.next); open.length; open = open.filter((l) => l.next)) {
    const pages = await bulkRead(
      octokit,
      open.map((l) => ({ ...l.item, repo, after: l.next! })),
    );
    open.forEach((l, i) => {
      const page = pages[i];
      if (page?.kind === "issues" || page?.kind === "pulls") {
        l.rows.push(...rowsOf(page));
        l.next = page.next;
      } else {
        l.whole = false;
        l.next = null;
      }
    });
  }
  for (const l of lists.filter((x) => x.whole)) {
    if (l.item.kind === "pulls") cache.openPulls = l.rows as ForgePullRequest[];
    else cache.openIssues.set(l.item.label ?? ALL_ISSUES, l.rows as ForgeIssue[]);
  }
}

function rowsOf(v: ListValue): unknown[] {
  return v.kind === "pulls" ? [...v.pulls] : [...v.issues];
}
