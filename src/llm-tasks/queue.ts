import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { NotFoundError } from "../errors.js";
import { writeFileAtomic } from "../util/fs.js";
import { readJsonIfExists, toJsonText, writeFileExclusive } from "./files.js";
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

  /** The pending task, or `undefined` when there is no pending file. Invalid files throw a ConfigError. */
  async readPending(id: string): Promise<PendingTask | undefined> {
    const file = this.pendingPath(id);
    const data = await readJsonIfExists(file);
    return data === undefined ? undefined : parsePendingTask(data, file);
  }

  /** The pending task; NotFoundError when there is none. */
  async getPending(id: string): Promise<PendingTask> {
    const task = await this.readPending(id);
    if (!task) throw new NotFoundError(`no pending LLM task ${id} (looked for ${this.pendingPath(id)})`);
    return task;
  }

  /** The result, or `undefined` when the task has not been answered. Invalid files throw a ConfigError. */
  async readResult(id: string): Promise<TaskResult | undefined> {
    const file = this.resultPath(id);
    const data = await readJsonIfExists(file);
    return data === undefined ? undefined : parseTaskResult(data, file);
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

/** The status of a pending task given whether its result exists. */
export function statusOf(task: Pick<PendingTask, "claimed_by"> | undefined, hasResult: boolean): TaskStatus {
  if (hasResult) return "completed";
  return task?.claimed_by ? "claimed" : "pending";
}
