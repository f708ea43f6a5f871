import { ConfigError, HandoffError } from "../errors.js";
import { readJsonIfExistsSync } from "./files.js";
import { nameProblem, type TaskQueue, type TaskStatus, statusOf } from "./queue.js";
import { SCHEMA_VERSION, checkSchemaVersion } from "./schemas.js";

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

/** Runs `fn` over `items` with at most `limit` in flight: many small jobs overlap, memory stays flat. */
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

/**
 * Maps `items` synchronously in slices, yielding to the event loop between slices: the reads are
 * synchronous for speed (see readJsonIfExistsSync), and a server listing a big queue stays responsive.
 */
export async function mapInSlices<T, R>(items: readonly T[], fn: (item: T) => R, slice = 256): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < items.length; start += slice) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const item of items.slice(start, start + slice)) out.push(fn(item));
  }
  return out;
}

/** The fields of a pending file that a listing shows. */
type ListedPending = {
  created_at: string;
  runbook_path: string | null;
  claimed_by?: string;
  claimed_at?: string;
};
/** The fields of a result file that a listing shows. */
type ListedResult = { completed_at: string; completed_by?: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const optionalString = (v: unknown): boolean => v === undefined || typeof v === "string";

/**
 * A listing checks only what it shows (version, id, the listed fields) instead of running the full
 * schema on every file: on a 10,000-task queue the full check costs more than reading the files.
 * `handoff queue validate` runs the full schemas.
 */
function quickCheck(
  data: unknown,
  file: string,
  id: string,
  fields: Record<string, (v: unknown) => boolean>,
): void {
  checkSchemaVersion(data, file);
  const bad: string[] = [];
  if (!isRecord(data) || data.schema_version !== SCHEMA_VERSION) bad.push("$");
  else {
    const misnamed = nameProblem({ id: String(data.id), task: String(data.task) }, id);
    if (misnamed) bad.push(misnamed);
    for (const key in fields) if (!fields[key]!(data[key])) bad.push(`$.${key}`);
  }
  if (bad.length) {
    throw new ConfigError(
      `${file}: not a valid LLM task file (${bad.join(", ")}); run \`handoff queue validate\``,
      file,
    );
  }
}

const PENDING_FIELDS = {
  created_at: (v: unknown) => typeof v === "string",
  runbook_path: (v: unknown) => v === null || typeof v === "string",
  claimed_by: optionalString,
  claimed_at: optionalString,
};
const RESULT_FIELDS = { completed_at: (v: unknown) => typeof v === "string", completed_by: optionalString };

function load<T>(
  file: string,
  id: string,
  fields: Record<string, (v: unknown) => boolean>,
): T | Error | undefined {
  try {
    const data = readJsonIfExistsSync(file);
    if (data === undefined) return undefined;
    quickCheck(data, file, id, fields);
    return data as T;
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
  const summaries = await mapInSlices(ids, (id) => {
    const pendingFile = waiting.has(id) ? queue.pendingPath(id) : undefined;
    const resultFile = answered.has(id) ? queue.resultPath(id) : undefined;
    // A pending task needs only its pending file; a completed one only its result (and pending if any).
    const wanted = (s: TaskStatus): boolean => !filter.status || filter.status === s;
    if (resultFile && !wanted("completed")) return undefined;
    const pending = pendingFile ? load<ListedPending>(pendingFile, id, PENDING_FIELDS) : undefined;
    const result = resultFile ? load<ListedResult>(resultFile, id, RESULT_FIELDS) : undefined;
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
  pending: ListedPending | Error | undefined,
  result: ListedResult | Error | undefined,
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
  const p = pending as ListedPending | undefined;
  const r = result as ListedResult | undefined;
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
