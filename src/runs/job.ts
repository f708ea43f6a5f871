/**
 * The job a run works on: an issue (title, body, comments) from a job file, or from the local forge's
 * `.handoff/issues/<N>.json` when `--issue N` is given. The GitHub face writes the same shape from the
 * real issue, so the runner never talks to a forge itself.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { NotFoundError } from "../errors.js";
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

/** The local forge's issue file for issue N. */
export function localIssueFile(repoTop: string, issue: number | string): string {
  return join(repoTop, ".handoff", "issues", `${issue}.json`);
}

/** Reads the job of a run: the job file when given, else the local forge's issue file. */
export async function loadJob(options: {
  repoTop: string;
  issue?: number | string;
  jobFile?: string;
}): Promise<Job> {
  if (options.jobFile) return readJsonFile(options.jobFile, JobSchema);
  if (options.issue === undefined) throw new NotFoundError("no job: give --issue N or --job-file FILE");
  const file = localIssueFile(options.repoTop, options.issue);
  if (!existsSync(file)) {
    throw new NotFoundError(
      `issue ${options.issue} not found: no ${file} (write the issue there, or pass --job-file FILE)`,
    );
  }
  const job = await readJsonFile(file, JobSchema);
  return { ...job, issue: options.issue };
}
