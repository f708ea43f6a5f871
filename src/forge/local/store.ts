/**
 * The local forge's files, under `<git-common-dir>/handoff/forge/` (shared by every worktree of the
 * repository and never inside one, so nothing here dirties a tree or shows in a diff):
 *
 *   meta.json             next issue/PR number and next id (comments, reviews, runs)
 *   issues/<n>.json       an issue or a pull request (they share numbers, as on GitHub) with its
 *                         comments, reactions, reviews and review comments
 *   labels.json           the repository's labels: name → colour and description
 *   users.json            who may do what: login → admin|maintain|write|triage|read (written by hand)
 *   runs/<id>.json        a workflow dispatch and the run it became
 *
 * Every write is atomic (temp file + rename) and read-modify-writes hold one lock, so the CLI and a
 * handler running at the same time never lose an update. Every file is parsed with its schema, so a
 * hand-edited file that is wrong is reported with its path and JSON path.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { withLock } from "../../llm-tasks/lock.js";
import { writeFileAtomic } from "../../util/fs.js";
import { parseJsonText, parseWith } from "../../util/validate.js";
import {
  ForgeCommentSchema,
  ForgeReviewCommentSchema,
  ForgeReviewSchema,
  ForgeUserSchema,
  IssueStateSchema,
  PermissionSchema,
  ReactionSchema,
} from "../types.js";

const MetaSchema = z.object({
  nextNumber: z.number().int().positive().default(1),
  nextId: z.number().int().positive().default(1),
});

const ReactionRecordSchema = z.object({
  commentId: z.number().int().nullable(),
  content: ReactionSchema,
  user: z.string(),
});

export const PullFieldsSchema = z.object({
  head: z.string(),
  base: z.string(),
  /** The head's sha when last written; reads resolve the branch again. */
  headSha: z.string(),
  draft: z.boolean().default(false),
  merged: z.boolean().default(false),
  requestedReviewers: z.array(z.string()).default([]),
});

export const IssueRecordSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string(),
  state: IssueStateSchema,
  labels: z.array(z.string()).default([]),
  author: ForgeUserSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Present on pull requests only. */
  pull: PullFieldsSchema.optional(),
  comments: z.array(ForgeCommentSchema).default([]),
  reactions: z.array(ReactionRecordSchema).default([]),
  reviews: z.array(ForgeReviewSchema).default([]),
  reviewComments: z.array(ForgeReviewCommentSchema).default([]),
});
export type IssueRecord = z.infer<typeof IssueRecordSchema>;

const LabelsSchema = z.record(
  z.string(),
  z.object({ color: z.string(), description: z.string().default("") }),
);
export type LabelsFile = z.infer<typeof LabelsSchema>;

/** `users.json`: login → permission on this repository. */
export const UsersFileSchema = z.record(z.string(), PermissionSchema);

export const RunRecordSchema = z.object({
  id: z.number().int().positive(),
  workflow: z.string(),
  ref: z.string(),
  inputs: z.record(z.string(), z.string()),
  actor: z.string(),
  status: z.enum(["queued", "in_progress", "completed"]),
  conclusion: z.string().nullable(),
  /** Why the dispatched work failed, when it did. */
  error: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** The folder the local forge of the repository whose git common dir is `commonDir` keeps. */
export function localForgeDir(commonDir: string): string {
  return join(commonDir, "handoff", "forge");
}

export class LocalStore {
  constructor(readonly dir: string) {}

  file(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  issueFile(number: number): string {
    return this.file("issues", `${number}.json`);
  }

  /** Serialises read-modify-write across processes. */
  async locked<T>(fn: () => Promise<T>): Promise<T> {
    await mkdir(this.file("locks"), { recursive: true });
    return withLock(this.file("locks"), "forge", fn);
  }

  private async readJson<S extends z.ZodType>(schema: S, path: string): Promise<z.output<S> | null> {
    if (!existsSync(path)) return null;
    return parseWith(schema, parseJsonText(await readFile(path, "utf8"), path), path);
  }

  private async writeJson(path: string, value: unknown): Promise<void> {
    await mkdir(join(path, ".."), { recursive: true });
    await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Takes the next number (issues and PRs) or id (everything else); call under `locked`. */
  async next(kind: "number" | "id"): Promise<number> {
    const path = this.file("meta.json");
    const meta = (await this.readJson(MetaSchema, path)) ?? MetaSchema.parse({});
    const value = kind === "number" ? meta.nextNumber : meta.nextId;
    await this.writeJson(
      path,
      kind === "number" ? { ...meta, nextNumber: value + 1 } : { ...meta, nextId: value + 1 },
    );
    return value;
  }

  /** Makes sure the next number is after `number` (an issue imported with its own number); under `locked`. */
  async reserveNumber(number: number): Promise<void> {
    const path = this.file("meta.json");
    const meta = (await this.readJson(MetaSchema, path)) ?? MetaSchema.parse({});
    if (meta.nextNumber <= number) await this.writeJson(path, { ...meta, nextNumber: number + 1 });
  }

  readIssue(number: number): Promise<IssueRecord | null> {
    return this.readJson(IssueRecordSchema, this.issueFile(number));
  }

  writeIssue(record: IssueRecord): Promise<void> {
    return this.writeJson(this.issueFile(record.number), record);
  }

  /** Every issue and pull request, by number. */
  async allIssues(): Promise<IssueRecord[]> {
    const dir = this.file("issues");
    if (!existsSync(dir)) return [];
    const numbers = (await readdir(dir))
      .map((name) => /^(\d+)\.json$/.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const records = await Promise.all(numbers.map((n) => this.readIssue(n)));
    return records.filter((r): r is IssueRecord => r !== null);
  }

  async labels(): Promise<LabelsFile> {
    return (await this.readJson(LabelsSchema, this.file("labels.json"))) ?? {};
  }

  writeLabels(labels: LabelsFile): Promise<void> {
    return this.writeJson(this.file("labels.json"), labels);
  }

  async users(): Promise<z.output<typeof UsersFileSchema>> {
    return (await this.readJson(UsersFileSchema, this.file("users.json"))) ?? {};
  }

  writeUsers(users: z.output<typeof UsersFileSchema>): Promise<void> {
    return this.writeJson(this.file("users.json"), users);
  }

  readRun(id: number): Promise<RunRecord | null> {
    return this.readJson(RunRecordSchema, this.file("runs", `${id}.json`));
  }

  writeRun(run: RunRecord): Promise<void> {
    return this.writeJson(this.file("runs", `${run.id}.json`), run);
  }

  async allRuns(): Promise<RunRecord[]> {
    const dir = this.file("runs");
    if (!existsSync(dir)) return [];
    const ids = (await readdir(dir))
      .map((name) => /^(\d+)\.json$/.exec(name)?.[1])
      .filter((n): n is string => n !== undefined);
    const runs = await Promise.all(ids.map((id) => this.readRun(Number(id))));
    return runs.filter((r): r is RunRecord => r !== null);
  }
}
