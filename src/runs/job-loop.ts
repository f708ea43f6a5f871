/**
 * The job loop: each `handoff run --max-jobs N` executes one job; the job index is kept in
 * Handoff's state between runs and only moves on after a job is done; `job_input.json` (when present)
 * feeds the prompt and may rename the loop; once the index passes `max_jobs` the run ends with
 * `job_loop_complete` and writes `job_result.json`.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import type { JobLoop } from "../evidence/index.js";
import { fileError, writeFileAtomic } from "../util/fs.js";
import { parseJsonText, parseWith } from "../util/validate.js";
import type { HandoffState } from "../state/handoff-state.js";
import type { JobLoopOptions } from "./types.js";

/** job_result.json, written when the loop completes. */
export const JobResultSchema = z.object({
  job_name: z.string(),
  max_jobs: z.number().int(),
  jobs_executed: z.number().int(),
  end_reason: z.string(),
  last_phase: z.string(),
  last_step: z.number().int(),
  timestamp: z.string(),
});
export type JobResult = z.infer<typeof JobResultSchema>;

/** What the job loop knows before a run. */
export interface JobLoopStart {
  jobName: string;
  /** 1-based index of the job this run works on. */
  index: number;
  /** The loop is over: this run only writes the result. */
  complete: boolean;
  payload?: unknown;
  payloadSize: number;
}

/** job_input.json: a JSON object; `job_name` renames the loop, the rest feeds the prompt. */
export const JobInputSchema = z.looseObject({
  /** Overrides the loop's job name. */
  job_name: z.string().min(1).optional(),
});

/**
 * Reads job_input.json. It is optional (absent: no payload), but one that is there must be a JSON
 * object: a malformed one is a ConfigError naming the file and what is wrong, never silently dropped.
 */
async function readInput(file: string): Promise<{ payload?: unknown; size: number }> {
  if (!existsSync(file)) return { size: 0 };
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    throw fileError(error, file, "read");
  });
  const payload = parseWith(JobInputSchema, parseJsonText(text, file), file);
  return { payload, size: (await stat(file)).size };
}

export async function startJobLoop(state: HandoffState, options: JobLoopOptions): Promise<JobLoopStart> {
  const input = await readInput(options.inputPath);
  const override = (input.payload as { job_name?: unknown } | undefined)?.job_name;
  const jobName = typeof override === "string" && override ? override : options.jobName;
  const saved = await state.jobIndex(jobName);
  const index = (saved?.current_job_index ?? 0) + 1;
  return {
    jobName,
    index,
    complete: index > options.maxJobs,
    ...(input.payload !== undefined ? { payload: input.payload } : {}),
    payloadSize: input.size,
  };
}

/** After a done job: the index moves on. */
export async function jobDone(
  state: HandoffState,
  start: JobLoopStart,
  options: JobLoopOptions,
): Promise<void> {
  await state.setJobIndex({
    job_name: start.jobName,
    current_job_index: start.index,
    max_jobs: options.maxJobs,
    completed: false,
    updated_at: new Date().toISOString(),
  });
}

/** The loop is complete: record it and write job_result.json. */
export async function completeJobLoop(
  state: HandoffState,
  start: JobLoopStart,
  options: JobLoopOptions,
): Promise<JobResult> {
  const executed = start.index - 1;
  const result: JobResult = {
    job_name: start.jobName,
    max_jobs: options.maxJobs,
    jobs_executed: executed,
    end_reason: `job_loop_complete: max_jobs(${options.maxJobs}) reached`,
    last_phase: "job_loop_complete",
    last_step: executed,
    timestamp: new Date().toISOString(),
  };
  await mkdir(dirname(options.resultPath), { recursive: true });
  await writeFileAtomic(options.resultPath, `${JSON.stringify(result, null, 2)}\n`);
  await state.setJobIndex({
    job_name: start.jobName,
    current_job_index: executed,
    max_jobs: options.maxJobs,
    completed: true,
    updated_at: result.timestamp,
  });
  return result;
}

/** The summary's job_loop block. */
export function jobLoopBlock(
  start: JobLoopStart | undefined,
  options: JobLoopOptions | undefined,
  completed: boolean,
): JobLoop {
  if (!start || !options)
    return { enabled: false, max_jobs: 0, job_name: "", current_job_index: 0, completed: false };
  return {
    enabled: true,
    max_jobs: options.maxJobs,
    job_name: start.jobName,
    current_job_index: start.index,
    completed,
  };
}
