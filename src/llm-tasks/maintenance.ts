import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, HandoffError } from "../errors.js";
import { readJsonIfExists, readJsonIfExistsSync } from "./files.js";
import { mapInSlices, mapLimit } from "./listing.js";
import type { TaskQueue } from "./queue.js";
import { checkContent } from "./response-format.js";
import { type PendingTask, parsePendingTask, parseTaskResult } from "./schemas.js";

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
    if (value && value.id !== name) problems.push(`$.id: "${value.id}" does not match the file name`);
    if (value) pendings.set(name, value);
    return { file, ok: problems.length === 0, problems };
  });
  const resultChecks = await mapInSlices(resultIds, (name) => {
    const file = join(queue.paths.results, `${name}.json`);
    const { value, problems } = check(file, parseTaskResult);
    if (value && value.id !== name) problems.push(`$.id: "${value.id}" does not match the file name`);
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
}

export interface GcOptions {
  dryRun?: boolean;
  /** Also remove results completed more than this many days ago (their pipelines will ask again). */
  resultsOlderThanDays?: number;
  /** Temp and lock files younger than this are left alone: a writer may still be at work. */
  leftoverAgeMs?: number;
  now?: Date;
}

/** Tidies the queue: never touches an unanswered task or (unless asked) a result. */
export async function gcQueue(queue: TaskQueue, options: GcOptions = {}): Promise<GcReport> {
  const now = (options.now ?? new Date()).getTime();
  const [pendingIds, resultIds] = await Promise.all([queue.idsIn("pending"), queue.idsIn("results")]);
  const answered = new Set(resultIds);
  const report: GcReport = { answeredPending: [], failoverRecords: [], leftovers: [], oldResults: [] };
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
    for (const id of resultIds) {
      const data = await readJsonIfExists(queue.resultPath(id)).catch(() => undefined);
      const at = Date.parse(String((data as { completed_at?: unknown } | undefined)?.completed_at));
      if (Number.isFinite(at) && at < limit) report.oldResults.push(queue.resultPath(id));
    }
  }
  if (!options.dryRun) {
    const all = [
      ...report.answeredPending,
      ...report.failoverRecords,
      ...report.leftovers,
      ...report.oldResults,
    ];
    await mapLimit(all, 64, (file) => rm(file, { force: true }));
  }
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
