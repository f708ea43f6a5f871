/**
 * What the GitHub forge read ahead (one GraphQL request, graphql.ts), kept for the rest of one
 * handler's work: a forge lives for one webhook delivery or one CLI command, so this is a read
 * cache of seconds, never the app's state. Every write through the forge drops what it could have
 * made stale, so a flow never reads back an older value than it wrote.
 */
import type { ForgeComment, ForgeDirEntry, ForgeFile, ForgeIssue, ReadAhead, RepoRef } from "../types.js";
import { type BulkItem, type BulkValue, bulkRead } from "./graphql.js";
import type { ForgeOctokit } from "./octokit.js";

const at = (path: string, ref?: string) => `${ref ?? "HEAD"}:${path}`;

export class ReadCache {
  readonly files = new Map<string, ForgeFile | null>();
  readonly folders = new Map<string, ForgeDirEntry[] | null>();
  readonly comments = new Map<number, ForgeComment[]>();
  readonly openIssues = new Map<string, ForgeIssue[]>();
  readonly branches = new Map<string, string | null>();
  /** Every label of the repository, when it has at most 100 (else unknown: null). */
  labels: Set<string> | null = null;

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
      if (item.kind === "comments" && v.kind === "comments" && v.complete)
        this.comments.set(item.issue, v.comments);
      if (item.kind === "labels" && v.kind === "labels" && v.complete) this.labels = new Set(v.names);
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
  // Open issues by label: the first page came with the rest; further pages, all lists at once.
  let lists = items.flatMap((item, i) => {
    const v = values[i];
    return item.kind === "issues" && v?.kind === "issues" ? [{ label: item.label, ...v }] : [];
  });
  const collected = new Map(lists.map((l) => [l.label, [...l.issues]]));
  while (lists.some((l) => l.next)) {
    const pending = lists.filter((l) => l.next);
    const pages = await bulkRead(
      octokit,
      pending.map((l) => ({ kind: "issues", repo, label: l.label, after: l.next! })),
    );
    lists = pending.map((l, i) => {
      const page = pages[i];
      // A page GraphQL could not give: the list is not whole, so it is not kept (REST lists it).
      if (page?.kind !== "issues") {
        collected.delete(l.label);
        return { ...l, next: null };
      }
      collected.get(l.label)?.push(...page.issues);
      return { ...l, ...page };
    });
  }
  for (const [label, issues] of collected) cache.openIssues.set(label, issues);
  return values.slice(items.length - extra.length);
}
