/**
 * What every part of the local forge shares: the repository, the store, who acts, and the issue
 * records (issues and pull requests share numbers and one record shape, as on GitHub) turned into
 * the forge port's shapes.
 */
import { pathToFileURL } from "node:url";
import { NotFoundError } from "../../errors.js";
import type { Git } from "../../git/git.js";
import type { ForgeIssue, ForgePullRequest, ForgeUser } from "../types.js";
import type { IssueRecord, LocalStore } from "./store.js";

export const now = () => new Date().toISOString();

/** The fields a new issue or pull request record is given; the rest start empty. */
export type FreshRecord = Pick<IssueRecord, "number" | "title" | "body" | "labels"> &
  Partial<Pick<IssueRecord, "comments" | "pull">>;

export class LocalRecords {
  constructor(
    readonly git: Git,
    readonly store: LocalStore,
    /** Who the forge acts as: author of what it writes. */
    readonly actor: string,
  ) {}

  /** The `file://` address of issue `number` (and an anchor in it), GitHub's `html_url` offline. */
  url(number: number, anchor?: string): string {
    return `${pathToFileURL(this.store.issueFile(number)).href}${anchor ? `#${anchor}` : ""}`;
  }

  me(): ForgeUser {
    return { login: this.actor, type: "User" };
  }

  /** Issue or pull request `number`; a NotFoundError when it is missing or not of the kind asked. */
  async get(number: number, what: "issue" | "pull request" | "any" = "any"): Promise<IssueRecord> {
    const record = await this.store.readIssue(number);
    if (!record || (what === "pull request" && !record.pull)) {
      throw new NotFoundError(`local forge: ${what === "any" ? "issue" : what} #${number} not found`);
    }
    return record;
  }

  /** Read, change and write one issue under the lock; returns what `fn` returns (what it added). */
  async changeWith<T>(number: number, fn: (r: IssueRecord) => T | Promise<T>): Promise<T> {
    return this.store.locked(async () => {
      const record = await this.get(number);
      const value = await fn(record);
      record.updatedAt = now();
      await this.store.writeIssue(record);
      return value;
    });
  }

  /** Read, change and write one issue under the lock; returns the issue as written. */
  change(number: number, fn: (r: IssueRecord) => void | Promise<void>): Promise<IssueRecord> {
    return this.changeWith(number, async (r) => {
      await fn(r);
      return r;
    });
  }

  /** The number of the issue holding comment `commentId`; a NotFoundError when none does. */
  async holderOf(commentId: number): Promise<number> {
    const holder = (await this.store.allIssues()).find((r) => r.comments.some((c) => c.id === commentId));
    if (!holder) throw new NotFoundError(`local forge: comment ${commentId} not found`);
    return holder.number;
  }

  /** A new open record by the actor, written under the lock the caller holds. */
  async create(fields: FreshRecord): Promise<IssueRecord> {
    const time = now();
    const record: IssueRecord = {
      state: "open",
      author: this.me(),
      createdAt: time,
      updatedAt: time,
      comments: [],
      reactions: [],
      reviews: [],
      reviewComments: [],
      ...fields,
    };
    await this.store.writeIssue(record);
    return record;
  }

  toIssue(r: IssueRecord): ForgeIssue {
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

  /** A pull request as it is now: its head sha is the branch's, not the one last written. */
  async toPull(r: IssueRecord): Promise<ForgePullRequest> {
    const pull = r.pull;
    if (!pull) throw new NotFoundError(`local forge: pull request #${r.number} not found`);
    const sha = (await this.git.refs.tryShowRef(`refs/heads/${pull.head}`)) ?? pull.headSha;
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
}
