/**
 * Handoff's own state for a repository: last checkpoint per branch, checkpoint counter per issue, job
 * index and run records. It lives under `<git common dir>/handoff/` — inside `.git`, shared by every
 * worktree, never part of anyone's working tree, so it can never make a tree dirty or be committed.
 *
 * One small JSON file per key (per branch, per issue, per job, per run), each written atomically, so
 * concurrent runs on different issues never rewrite each other's data.
 */
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Git } from "../git/git.js";
import { writeFileAtomic } from "../util/fs.js";
import { readJsonFile } from "../util/validate.js";

/** The last checkpoint recorded for a branch (what `handoff rollback` without `--to` returns to). */
export const LastCheckpointSchema = z.object({
  /** Short branch name, e.g. `handoff/issue-4-fix-login`. */
  branch: z.string().min(1),
  /** Tag name of the checkpoint, e.g. `handoff/checkpoint/4/3`. */
  tag: z.string().min(1),
  /** The commit the checkpoint tags. */
  sha: z.string().regex(/^[0-9a-f]{40,64}$/),
  /** ISO 8601 time the checkpoint was recorded. */
  created_at: z.string(),
});
export type LastCheckpoint = z.infer<typeof LastCheckpointSchema>;

/** The next checkpoint number of an issue (or of the `manual` series). */
export const CheckpointCounterSchema = z.object({
  /** Issue key: an issue number or `manual`. */
  issue: z.string().min(1),
  /** The number the next checkpoint tag of this issue will get. */
  next: z.number().int().positive(),
});
export type CheckpointCounter = z.infer<typeof CheckpointCounterSchema>;

/** Where a job loop stands (its job index is kept between runs). */
export const JobIndexSchema = z.object({
  /** Job name from the config or the job_input override. */
  job_name: z.string().min(1),
  /** How many jobs of this loop have run so far. */
  current_job_index: z.number().int().nonnegative(),
  /** The configured max_jobs, when the loop has one. */
  max_jobs: z.number().int().positive().optional(),
  /** True once the loop reached job_loop_complete. */
  completed: z.boolean().default(false),
  /** ISO 8601 time of the last update. */
  updated_at: z.string(),
});
export type JobIndex = z.infer<typeof JobIndexSchema>;

/**
 * A run record. The runner owns the details; these fields are the ones other commands rely on, and
 * any other field is kept as written.
 */
export const RunRecordSchema = z.looseObject({
  /** Unique id of the run. */
  run_id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  /** Issue number (or job id) the run worked on. */
  issue: z.union([z.number(), z.string()]).optional(),
  /** Agent name. */
  agent: z.string().optional(),
  /** The run's branch and worktree. */
  branch: z.string().optional(),
  worktree: z.string().optional(),
  /** ISO 8601 start and end times. */
  started_at: z.string(),
  ended_at: z.string().optional(),
  /** End reason once the run ended (see DESIGN.md's glossary). */
  end_reason: z.string().optional(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** A key made safe as one file name (branch names contain `/`). */
function fileKey(key: string): string {
  return `${encodeURIComponent(key).replaceAll(".", "%2E")}.json`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Handoff's state folder of one repository. Open it with `HandoffState.open(git)`. */
export class HandoffState {
  constructor(readonly dir: string) {}

  /** The state of the repository `git` works in (any of its worktrees gives the same state). */
  static async open(git: Git): Promise<HandoffState> {
    return new HandoffState(join(await git.commonDir(), "handoff"));
  }

  private async read<S extends z.ZodType>(sub: string, key: string, schema: S): Promise<z.output<S> | null> {
    const file = join(this.dir, sub, fileKey(key));
    if (!(await exists(file))) return null;
    return readJsonFile(file, schema);
  }

  private async write(sub: string, key: string, value: unknown): Promise<string> {
    const dir = join(this.dir, sub);
    await mkdir(dir, { recursive: true });
    const file = join(dir, fileKey(key));
    await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
    return file;
  }

  async lastCheckpoint(branch: string): Promise<LastCheckpoint | null> {
    return this.read("last-checkpoint", branch, LastCheckpointSchema);
  }

  async setLastCheckpoint(value: LastCheckpoint): Promise<void> {
    await this.write("last-checkpoint", value.branch, LastCheckpointSchema.parse(value));
  }

  /** The number the next checkpoint of `issue` should get (1 for the first). */
  async nextCheckpointNumber(issue: string): Promise<number> {
    return (await this.read("checkpoint-counters", issue, CheckpointCounterSchema))?.next ?? 1;
  }

  async setNextCheckpointNumber(issue: string, next: number): Promise<void> {
    await this.write("checkpoint-counters", issue, CheckpointCounterSchema.parse({ issue, next }));
  }

  async jobIndex(jobName: string): Promise<JobIndex | null> {
    return this.read("jobs", jobName, JobIndexSchema);
  }

  async setJobIndex(value: JobIndex): Promise<void> {
    await this.write("jobs", value.job_name, JobIndexSchema.parse(value));
  }

  async clearJobIndex(jobName: string): Promise<void> {
    await rm(join(this.dir, "jobs", fileKey(jobName)), { force: true });
  }

  async runRecord(runId: string): Promise<RunRecord | null> {
    return this.read("runs", runId, RunRecordSchema);
  }

  /** Writes (or replaces) a run record; returns its file. */
  async writeRunRecord(record: RunRecord): Promise<string> {
    const parsed = RunRecordSchema.parse(record);
    return this.write("runs", parsed.run_id, parsed);
  }

  /** Every run record, oldest first by start time. */
  async listRunRecords(): Promise<RunRecord[]> {
    const dir = join(this.dir, "runs");
    if (!(await exists(dir))) return [];
    const files = (await readdir(dir)).filter((f) => f.endsWith(".json") && !f.startsWith("."));
    const records = await Promise.all(files.map((f) => readJsonFile(join(dir, f), RunRecordSchema)));
    return records.sort((a, b) => a.started_at.localeCompare(b.started_at));
  }
}
