import { lstat, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, HandoffError, UsageError } from "../errors.js";
import { readJsonIfExistsSync } from "./files.js";
import { mapInSlices, mapLimit } from "./listing.js";
import { nameProblem, type TaskQueue } from "./queue.js";
import { checkContent } from "./response-format.js";
import { type PendingTask, type TaskResult, parsePendingTask, parseTaskResult } from "./schemas.js";

/** The verdict on one queue file. */
export interface FileCheck {
  file: string;
  ok: boolean;
  /** Every problem, each naming the JSON path at fault. */
  problems: string[];
}

function check<T>(file: string, parse: (d: unknown, s: string) => T): { value?: T; problems: string[] } {
  try {
    return { value: parse(readJsonIfExistsSync(file), file), problems: [] };
  } catch (error) {
    if (error instanceof ConfigError)
      return { problems: error.problems.length ? [...error.problems] : [error.message] };
    if (error instanceof HandoffError) return { problems: [error.message] };
    throw error;
  }
}

/**
 * Checks every pending and result file: its schema, that its name is its id, and that a result's
 * content satisfies its pending task's response_format.
 */
export async function validateQueue(queue: TaskQueue): Promise<FileCheck[]> {
  const [pendingIds, resultIds] = await Promise.all([queue.idsIn("pending"), queue.idsIn("results")]);
  const pendings = new Map<string, PendingTask>();
  const out: FileCheck[] = [];
  const pendingChecks = await mapInSlices(pendingIds, (name) => {
    const file = join(queue.paths.pending, `${name}.json`);
    const { value, problems } = check(file, parsePendingTask);
    const misnamed = value && nameProblem(value, name);
    if (misnamed) problems.push(misnamed);
    if (value) pendings.set(name, value);
    return { file, ok: problems.length === 0, problems };
  });
  const resultChecks = await mapInSlices(resultIds, (name) => {
    const file = join(queue.paths.results, `${name}.json`);
    const { value, problems } = check(file, parseTaskResult);
    const misnamed = value && nameProblem(value, name);
    if (misnamed) problems.push(misnamed);
    const pending = pendings.get(name);
    if (value && pending)
      problems.push(...checkContent(pending.response_format, value.content, file).map((p) => `content ${p}`));
    return { file, ok: problems.length === 0, problems };
  });
  out.push(...pendingChecks, ...resultChecks);
  return out;
}

/** What `gc` removed (or would remove, on a dry run). */
export interface GcReport {
  /** Pending files of tasks that have a result: the result is the record now. */
  answeredPending: string[];
  /** Failover records of answered tasks. */
  failoverRecords: string[];
  /** Temp files and locks left by writers that were killed. */
  leftovers: string[];
  /** Results older than `resultsOlderThanDays`, only when asked for. */
  oldResults: string[];
  /**
   * What gc left alone, each with why: result files that are not a valid result of their task (so
   * their pending files stay too: only a valid answer lets a pending task go), and entries that are
   * not regular files.
   */
  kept: Array<{ file: string; problem: string }>;
}

export interface GcOptions {
  dryRun?: boolean;
  /** Also remove results completed more than this many days ago (their pipelines will ask again). */
  resultsOlderThanDays?: number;
  /** Temp and lock files younger than this are left alone: a writer may still be at work. */
  leftoverAgeMs?: number;
  now?: Date;
}

/**
 * Tidies the queue: never touches an unanswered task or (unless asked) a result. A task counts as
 * answered only when its result file is a valid result of that very task (the reading the pipeline
 * itself uses); anything else is reported and kept. Only regular files are removed.
 */
export async function gcQueue(queue: TaskQueue, options: GcOptions = {}): Promise<GcReport> {
  const now = (options.now ?? new Date()).getTime();
  if (options.resultsOlderThanDays !== undefined && !(options.resultsOlderThanDays >= 0))
    throw new UsageError(
      `resultsOlderThanDays must be a number of days ≥ 0, not ${options.resultsOlderThanDays}`,
    );
  const [pendingIds, resultIds] = await Promise.all([queue.idsIn("pending"), queue.idsIn("results")]);
  const report: GcReport = {
    answeredPending: [],
    failoverRecords: [],
    leftovers: [],
    oldResults: [],
    kept: [],
  };
  const results = new Map<string, TaskResult>();
  await mapInSlices(resultIds, (id) => {
    try {
      const result = queue.readResultSync(id);
      if (result) results.set(id, result);
    } catch (error) {
      if (!(error instanceof HandoffError)) throw error;
      report.kept.push({ file: queue.resultPath(id), problem: error.message });
    }
  });
  const answered = new Set(results.keys());
  report.answeredPending = pendingIds
    .filter((id) => answered.has(id))
    .map((id) => join(queue.paths.pending, `${id}.json`));
  for (const name of await safeReaddir(queue.paths.failover)) {
    if (answered.has(name.replace(/\.json$/, "")))
      report.failoverRecords.push(join(queue.paths.failover, name));
  }
  const leftoverAge = options.leftoverAgeMs ?? 60 * 60 * 1000;
  for (const dir of [queue.paths.pending, queue.paths.results, queue.paths.failover, queue.paths.locks]) {
    for (const name of await safeReaddir(dir)) {
      if (!name.endsWith(".tmp") && !name.endsWith(".lock")) continue;
      const file = join(dir, name);
      if (now - (await stat(file)).mtimeMs >= leftoverAge) report.leftovers.push(file);
    }
  }
  if (options.resultsOlderThanDays !== undefined) {
    const limit = now - options.resultsOlderThanDays * 86_400_000;
    for (const [id, result] of results) {
      if (Date.parse(result.completed_at) < limit) report.oldResults.push(queue.resultPath(id));
    }
  }
  const all = [
    ...report.answeredPending,
    ...report.failoverRecords,
    ...report.leftovers,
    ...report.oldResults,
  ];
  // A folder or a link in the queue is never gc's to remove: keep (and report) anything not a file.
  const files = await mapLimit(all, 64, async (file) => ((await lstat(file)).isFile() ? file : undefined));
  const notFiles = new Set(all.filter((_, i) => files[i] === undefined));
  for (const key of ["answeredPending", "failoverRecords", "leftovers", "oldResults"] as const) {
    report[key] = report[key].filter((file) => !notFiles.has(file));
  }
  for (const file of notFiles) report.kept.push({ file, problem: `${file}: not a regular file` });
  if (!options.dryRun)
    await mapLimit(
      all.filter((f) => !notFiles.has(f)),
      64,
      (file) => rm(file, { force: true }),
    );
  return report;
}

async function safeReaddir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
