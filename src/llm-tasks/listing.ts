import { HandoffError } from "../errors.js";
import { readJsonIfExists } from "./files.js";
import { type TaskQueue, type TaskStatus, statusOf } from "./queue.js";
import { type PendingTask, type TaskResult, parsePendingTask, parseTaskResult } from "./schemas.js";

/** One line of `handoff queue list`. */
export interface TaskSummary {
  id: string;
  task: string;
  /** `invalid` when a file of the task does not parse (`problem` says why). */
  status: TaskStatus | "invalid";
  created_at?: string;
  claimed_by?: string;
  claimed_at?: string;
  completed_at?: string;
  completed_by?: string;
  runbook_path?: string | null;
  pending_file?: string;
  result_file?: string;
  problem?: string;
}

/** Runs `fn` over `items` with at most `limit` in flight: many small reads overlap, memory stays flat. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const READ_CONCURRENCY = 64;

async function load<T>(
  file: string,
  parse: (data: unknown, source: string) => T,
): Promise<T | Error | undefined> {
  try {
    const data = await readJsonIfExists(file);
    return data === undefined ? undefined : parse(data, file);
  } catch (error) {
    if (error instanceof HandoffError) return error;
    throw error;
  }
}

/** Every task in the queue (pending, claimed and completed), oldest first, optionally one status only. */
export async function listTasks(
  queue: TaskQueue,
  filter: { status?: TaskStatus } = {},
): Promise<TaskSummary[]> {
  const [pendingIds, resultIds] = await Promise.all([queue.idsIn("pending"), queue.idsIn("results")]);
  const waiting = new Set(pendingIds);
  const answered = new Set(resultIds);
  const ids = [...new Set([...pendingIds, ...resultIds])];
  const summaries = await mapLimit(ids, READ_CONCURRENCY, async (id) => {
    const pendingFile = waiting.has(id) ? queue.pendingPath(id) : undefined;
    const resultFile = answered.has(id) ? queue.resultPath(id) : undefined;
    // A pending task needs only its pending file; a completed one only its result (and pending if any).
    const wanted = (s: TaskStatus): boolean => !filter.status || filter.status === s;
    if (resultFile && !wanted("completed")) return undefined;
    const pending = pendingFile ? await load(pendingFile, parsePendingTask) : undefined;
    const result = resultFile ? await load(resultFile, parseTaskResult) : undefined;
    return summarize(id, pending, result, pendingFile, resultFile);
  });
  return summaries
    .filter((s): s is TaskSummary => s !== undefined && (!filter.status || s.status === filter.status))
    .sort(
      (a, b) =>
        (a.created_at ?? a.completed_at ?? "").localeCompare(b.created_at ?? b.completed_at ?? "") ||
        a.id.localeCompare(b.id),
    );
}

function summarize(
  id: string,
  pending: PendingTask | Error | undefined,
  result: TaskResult | Error | undefined,
  pendingFile: string | undefined,
  resultFile: string | undefined,
): TaskSummary {
  const task = id.slice(0, id.lastIndexOf("__"));
  const files = {
    ...(pendingFile ? { pending_file: pendingFile } : {}),
    ...(resultFile ? { result_file: resultFile } : {}),
  };
  const broken = [pending, result].find((x): x is Error => x instanceof Error);
  if (broken) return { id, task, status: "invalid", ...files, problem: broken.message };
  const p = pending as PendingTask | undefined;
  const r = result as TaskResult | undefined;
  return {
    id,
    task,
    status: statusOf(p, r !== undefined),
    ...(p ? { created_at: p.created_at, runbook_path: p.runbook_path } : {}),
    ...(p?.claimed_by ? { claimed_by: p.claimed_by, claimed_at: p.claimed_at } : {}),
    ...(r
      ? { completed_at: r.completed_at, ...(r.completed_by ? { completed_by: r.completed_by } : {}) }
      : {}),
    ...files,
  };
}
