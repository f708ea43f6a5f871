/**
 * The local forge's issues, comments, labels and reactions, kept in the issue records of the store.
 */
import { ConflictError, NotFoundError, UsageError } from "../../errors.js";
import { DEFAULT_LABEL_COLOR, labelSpec } from "../markers.js";
import type {
  ForgeComment,
  ForgeIssue,
  IssueUpdate,
  LabelSpec,
  ListIssuesQuery,
  NewIssue,
  Reaction,
} from "../types.js";
import { type LocalRecords, now } from "./records.js";

/** An issue kept elsewhere, brought into the local forge with its labels and comments. */
export interface ImportedIssue {
  title: string;
  body: string;
  labels?: readonly string[];
  comments?: readonly { author: string; body: string }[];
}

// ── issues ──────────────────────────────────────────────────────────────────────────────────────

export async function createIssue(records: LocalRecords, input: NewIssue): Promise<ForgeIssue> {
  if (!input.title.trim()) throw new UsageError("an issue needs a title");
  const specs = (input.labels ?? []).map(labelSpec);
  for (const spec of specs) await ensureLabel(records, spec);
  return records.store.locked(async () => {
    const record = await records.create({
      number: await records.store.next("number"),
      title: input.title,
      body: input.body,
      labels: [...new Set(specs.map((s) => s.name))],
    });
    return records.toIssue(record);
  });
}

/**
 * Writes issue `number` as given (migrating an issue kept elsewhere, e.g. the old
 * `.handoff/issues/<N>.json`); later issues are numbered after it. Refuses a number already taken.
 */
export async function importIssue(
  records: LocalRecords,
  number: number,
  input: ImportedIssue,
): Promise<ForgeIssue> {
  for (const label of input.labels ?? []) await ensureLabel(records, { name: label });
  return records.store.locked(async () => {
    if (await records.store.readIssue(number))
      throw new ConflictError(`local forge: issue #${number} already exists`);
    await records.store.reserveNumber(number);
    const comments: ForgeComment[] = [];
    for (const c of input.comments ?? []) {
      comments.push(await newComment(records, number, c.body, { login: c.author, type: "User" }));
    }
    const record = await records.create({
      number,
      title: input.title,
      body: input.body,
      labels: [...new Set(input.labels ?? [])],
      comments,
    });
    return records.toIssue(record);
  });
}

export async function updateIssue(
  records: LocalRecords,
  issue: number,
  input: IssueUpdate,
): Promise<ForgeIssue> {
  const record = await records.change(issue, (r) => {
    if (input.title !== undefined) r.title = input.title;
    if (input.body !== undefined) r.body = input.body;
    if (input.state !== undefined) r.state = input.state;
  });
  return records.toIssue(record);
}

export async function listIssues(records: LocalRecords, query: ListIssuesQuery = {}): Promise<ForgeIssue[]> {
  const state = query.state ?? "open";
  return (await records.store.allIssues())
    .filter((r) => !r.pull)
    .filter((r) => state === "all" || r.state === state)
    .filter((r) => (query.labels ?? []).every((l) => r.labels.includes(l)))
    .map((r) => records.toIssue(r));
}

// ── comments ────────────────────────────────────────────────────────────────────────────────────

/** A new comment with the next id; the caller holds the lock and puts it on the issue. */
async function newComment(
  records: LocalRecords,
  issue: number,
  body: string,
  author = records.me(),
): Promise<ForgeComment> {
  const id = await records.store.next("id");
  const time = now();
  return { id, body, author, url: records.url(issue, `comment-${id}`), createdAt: time, updatedAt: time };
}

export async function createComment(
  records: LocalRecords,
  issue: number,
  body: string,
): Promise<ForgeComment> {
  return records.changeWith(issue, async (r) => {
    const comment = await newComment(records, issue, body);
    r.comments.push(comment);
    return comment;
  });
}

export async function updateComment(
  records: LocalRecords,
  commentId: number,
  body: string,
): Promise<ForgeComment> {
  return records.changeWith(await records.holderOf(commentId), (r) => {
    const comment = r.comments.find((c) => c.id === commentId);
    if (!comment) throw new NotFoundError(`local forge: comment ${commentId} not found`);
    comment.body = body;
    comment.updatedAt = now();
    return { ...comment };
  });
}

// ── labels and reactions ────────────────────────────────────────────────────────────────────────

export async function addLabels(
  records: LocalRecords,
  issue: number,
  labels: readonly (string | LabelSpec)[],
): Promise<void> {
  const specs = labels.map(labelSpec);
  await records.get(issue);
  for (const spec of specs) await ensureLabel(records, spec);
  await records.change(issue, (r) => {
    for (const spec of specs) if (!r.labels.includes(spec.name)) r.labels.push(spec.name);
  });
}

export async function removeLabel(records: LocalRecords, issue: number, name: string): Promise<void> {
  await records.change(issue, (r) => {
    r.labels = r.labels.filter((l) => l !== name);
  });
}

export async function ensureLabel(records: LocalRecords, label: LabelSpec): Promise<void> {
  if (!label.name.trim()) throw new UsageError("a label needs a name");
  await records.store.locked(async () => {
    const labels = await records.store.labels();
    if (labels[label.name]) return;
    labels[label.name] = {
      color: label.color ?? DEFAULT_LABEL_COLOR,
      description: label.description ?? "",
    };
    await records.store.writeLabels(labels);
  });
}

export async function addReaction(
  records: LocalRecords,
  target: { commentId: number } | { issue: number },
  content: Reaction,
): Promise<void> {
  const number = "issue" in target ? target.issue : await records.holderOf(target.commentId);
  const commentId = "commentId" in target ? target.commentId : null;
  await records.change(number, (r) => {
    const duplicate = r.reactions.some(
      (x) => x.commentId === commentId && x.content === content && x.user === records.actor,
    );
    if (!duplicate) r.reactions.push({ commentId, content, user: records.actor });
  });
}
