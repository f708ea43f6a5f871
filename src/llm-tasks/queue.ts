import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, NotFoundError } from "../errors.js";
import { writeFileAtomic, writeFileExclusive } from "../util/fs.js";
import { readJsonIfExists, readJsonIfExistsSync, toJsonText } from "./files.js";
import { assertTaskId } from "./ids.js";
import { type QueuePaths, queuePaths, resolveQueueDir } from "./queue-dir.js";
import { type PendingTask, type TaskResult, parsePendingTask, parseTaskResult } from "./schemas.js";

/** Where a task stands: waiting, being answered by someone, or answered. */
export type TaskStatus = "pending" | "claimed" | "completed";

/**
 * The LLM-task queue: `pending/<id>.json` and `results/<id>.json` under one folder. Plain files, so a
 * pipeline or agent in any language can use the queue without Handoff.
 */
export class TaskQueue {
  readonly paths: QueuePaths;

  constructor(readonly root: string) {
    this.paths = queuePaths(root);
  }

  /** The queue named by LLM_AGENT_QUEUE_DIR (or the default folders) for a working directory. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): TaskQueue {
    return new TaskQueue(resolveQueueDir(env, cwd));
  }

  pendingPath(id: string): string {
    assertTaskId(id);
    return join(this.paths.pending, `${id}.json`);
  }

  resultPath(id: string): string {
    assertTaskId(id);
    return join(this.paths.results, `${id}.json`);
  }

  failoverPath(id: string): string {
    assertTaskId(id);
    return join(this.paths.failover, `${id}.json`);
  }

  /** Creates the queue folders (a no-op when they exist). */
  async ensureDirs(): Promise<void> {
    await Promise.all(
      [this.paths.pending, this.paths.results, this.paths.locks].map((d) => mkdir(d, { recursive: true })),
    );
  }

  /**
   * The pending task, or `undefined` when there is no pending file. A file that is not a valid pending
   * task of this very id throws a ConfigError naming it.
   */
  async readPending(id: string): Promise<PendingTask | undefined> {
    const file = this.pendingPath(id);
    const data = await readJsonIfExists(file);
    if (data === undefined) return undefined;
    return assertNamedBy(parsePendingTask(data, file), id, file);
  }

  /** The pending task; NotFoundError when there is none. */
  async getPending(id: string): Promise<PendingTask> {
    const task = await this.readPending(id);
    if (!task) throw new NotFoundError(`no pending LLM task ${id} (looked for ${this.pendingPath(id)})`);
    return task;
  }

  /**
   * The result, or `undefined` when the task has not been answered. This is the one reading of a
   * result every command shares (the pipeline, claim, complete, gc): a file that is not a valid result
   * of this very id — truncated, another version, another task's answer, a folder, a dangling link —
   * throws a ConfigError naming it, and never counts as an answer.
   */
  async readResult(id: string): Promise<TaskResult | undefined> {
    return this.readResultSync(id);
  }

  /** {@link readResult} without the promise, for loops over many results. */
  readResultSync(id: string): TaskResult | undefined {
    const file = this.resultPath(id);
    const data = readJsonIfExistsSync(file);
    if (data === undefined) return undefined;
    return assertNamedBy(parseTaskResult(data, file), id, file);
  }

  /**
   * Writes a pending file unless one exists (a rerun must not wipe a claim). Returns false when it
   * existed. Atomic: readers never see a partial file.
   */
  async writePendingIfAbsent(task: PendingTask): Promise<boolean> {
    parsePendingTask(task, this.pendingPath(task.id));
    await this.ensureDirs();
    return writeFileExclusive(this.pendingPath(task.id), toJsonText(task));
  }

  /** Replaces a pending file atomically (claim, release). Callers hold the task's lock. */
  async replacePending(task: PendingTask): Promise<void> {
    parsePendingTask(task, this.pendingPath(task.id));
    await writeFileAtomic(this.pendingPath(task.id), toJsonText(task));
  }

  /** Ids present in a queue subfolder (files named `<id>.json`; temp files and strays are skipped). */
  async idsIn(folder: "pending" | "results"): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.paths[folder]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return names.filter((n) => n.endsWith(".json") && !n.startsWith(".")).map((n) => n.slice(0, -5));
  }
}

/**
 * What is wrong when a task file's `id` or `task` is not the one its file name says, or undefined.
 * A file renamed or copied from another task must not be taken for this task's.
 */
export function nameProblem(value: { id: string; task: string }, id: string): string | undefined {
  if (value.id !== id) return `$.id: "${value.id}" does not match the file name (${id}.json)`;
  const task = id.slice(0, id.lastIndexOf("__"));
  if (value.task !== task) return `$.task: "${value.task}" is not the task of ${id}`;
  return undefined;
}

function assertNamedBy<T extends { id: string; task: string }>(value: T, id: string, file: string): T {
  const problem = nameProblem(value, id);
  if (problem) throw new ConfigError(`${file}: ${problem}`, file, [problem]);
  return value;
}

/** The status of a pending task given whether its result exists. */
export function statusOf(task: Pick<PendingTask, "claimed_by"> | undefined, hasResult: boolean): TaskStatus {
  if (hasResult) return "completed";
  return task?.claimed_by ? "claimed" : "pending";
}
