/**
 * The job a run works on: an issue (title, body, comments, labels) read through the forge when
 * `--issue N` is given (the local forge by default, GitHub with `--forge github`), or a job file.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { NotFoundError, UsageError } from "../errors.js";
import { jobFromIssue } from "../flows/issue-job.js";
import { type Forge, LocalForge } from "../forge/index.js";
import { readJsonFile } from "../util/validate.js";

export const JobCommentSchema = z.object({
  /** Who wrote the comment (login or name). */
  author: z.string().optional(),
  /** The comment text (Markdown). */
  body: z.string(),
  /** ISO 8601 time, when known. */
  created_at: z.string().optional(),
});

/** A job file (and a local-forge issue file): one unit of coding work for an agent. */
export const JobSchema = z.object({
  $schema: z.string().optional(),
  /** Issue number, or a job id made of letters, digits, `.`, `_`, `-`. */
  issue: z.union([z.number().int().positive(), z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)]),
  /** Issue title; also gives the branch its slug. */
  title: z.string().min(1),
  /** Issue body (Markdown). */
  body: z.string().default(""),
  /** Comments in order, e.g. review comments from an earlier round. */
  comments: z.array(JobCommentSchema).default([]),
  /** Labels of the issue, for the record. */
  labels: z.array(z.string()).default([]),
  /** Where the issue lives, for the record (e.g. its URL). */
  url: z.string().optional(),
});
export type Job = z.infer<typeof JobSchema>;

/**
 * Where issues lived before the local forge (`.handoff/issues/<N>.json` in the main tree). Read once to
 * migrate an issue into the local forge; never written.
 */
export function legacyIssueFile(repoTop: string, issue: number | string): string {
  return join(repoTop, ".handoff", "issues", `${issue}.json`);
}

/**
 * Reads the job of a run: the job file when given, else issue N from the forge. On the local forge, an
 * issue still kept in the old `.handoff/issues/<N>.json` is migrated into the forge first (and the
 * forge is the one source of truth from then on).
 */
export async function loadJob(options: {
  repoTop: string;
  forge: Forge;
  issue?: number | string;
  jobFile?: string;
  /** With `issue`: the review the run answers (see jobFromIssue). */
  reviewId?: number;
  /** Told when an old issue file is migrated. */
  onNotice?: (line: string) => void;
}): Promise<Job> {
  if (options.jobFile) return readJsonFile(options.jobFile, JobSchema);
  if (options.issue === undefined) throw new NotFoundError("no job: give --issue N or --job-file FILE");
  if (typeof options.issue !== "number") {
    throw new UsageError(
      `--issue must be an issue number, got ${JSON.stringify(options.issue)}; use --job-file for a named job`,
    );
  }
  const { forge, issue } = options;
  const legacy = legacyIssueFile(options.repoTop, issue);
  if (forge instanceof LocalForge && existsSync(legacy) && !(await forge.store.readIssue(issue))) {
    const old = await readJsonFile(legacy, JobSchema);
    await forge.importIssue(issue, {
      title: old.title,
      body: old.body,
      labels: old.labels,
      comments: old.comments.map((c) => ({ author: c.author ?? "unknown", body: c.body })),
    });
    options.onNotice?.(
      `handoff: migrated ${legacy} into the local forge as issue #${issue} (the file is no longer read)`,
    );
  }
  try {
    return await jobFromIssue(
      forge,
      issue,
      options.reviewId !== undefined ? { reviewId: options.reviewId } : {},
    );
  } catch (error) {
    if (error instanceof NotFoundError && forge.kind === "local") {
      throw new NotFoundError(
        `issue ${issue} not found on the local forge: create it with \`handoff issue create --title …\`, or pass --job-file FILE`,
        { cause: error },
      );
    }
    throw error;
  }
}
