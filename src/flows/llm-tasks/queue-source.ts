/**
 * Where sync reads the queue from: the queue branch on the forge (the app, on a push to it), or the
 * local queue folder (the CLI right after a pipeline stopped, which already holds the pending files and
 * need not download them again). Results always come from the branch: it is where answers land.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { LlmTasksConfig } from "../../config/schema.js";
import { ConfigError } from "../../errors.js";
import type { Forge, ReadAhead } from "../../forge/types.js";
import type { TaskQueue } from "../../llm-tasks/queue.js";
import { type PendingTask, parsePendingTask } from "../../llm-tasks/schemas.js";
import { parseJsonText } from "../../util/validate.js";
import type { RunbookRef } from "./issue.js";

/** The queue as sync sees it. Pending files are read only for tasks that need a new issue. */
export interface QueueSource {
  /** For messages: where the pending tasks come from. */
  readonly description: string;
  /** What it reads from the forge, to read ahead in one request (none for a local folder). */
  readonly readAhead?: ReadAhead;
  pendingIds(): Promise<string[]>;
  readPending(id: string): Promise<PendingTask>;
  runbook(task: PendingTask): RunbookRef;
}

/** Paths of the queue on its branch. */
export function branchPaths(config: Pick<LlmTasksConfig, "dir">) {
  return {
    pending: `${config.dir}/pending`,
    results: `${config.dir}/results`,
    pendingFile: (id: string) => `${config.dir}/pending/${id}.json`,
    resultFile: (id: string) => `${config.dir}/results/${id}.json`,
  };
}

/** `<id>` of every `<id>.json` in a queue folder listing (temp files and strays skipped). */
export function idsOfEntries(entries: readonly { name: string; type: string }[] | null): string[] {
  return (entries ?? [])
    .filter((e) => e.type === "file" && e.name.endsWith(".json") && !e.name.startsWith("."))
    .map((e) => e.name.slice(0, -5));
}

/** The ids answered on the branch (one listing of `results/`). */
export async function resultIdsOnBranch(forge: Forge, config: LlmTasksConfig): Promise<Set<string>> {
  return new Set(idsOfEntries(await forge.listDirectory(branchPaths(config).results, config.branch)));
}

/** Reads and validates a pending file from the queue branch; null when it is not there. */
export async function readPendingOnBranch(
  forge: Forge,
  config: LlmTasksConfig,
  id: string,
): Promise<PendingTask | null> {
  const path = branchPaths(config).pendingFile(id);
  const file = await forge.readFile(path, config.branch);
  if (!file) return null;
  const source = `${config.branch}:${path}`;
  return parsePendingTask(parseJsonText(file.content, source), source);
}

/**
 * The queue branch as a source. `fileUrl` turns a repository path into a browser link for runbooks
 * (the branch holds the repository's files, runbooks included); without it the path alone is shown.
 */
export function branchSource(
  forge: Forge,
  config: LlmTasksConfig,
  fileUrl?: (path: string, ref: string) => string,
): QueueSource {
  return {
    description: `${config.branch}:${config.dir}`,
    readAhead: { folders: [{ path: branchPaths(config).pending, ref: config.branch }] },
    async pendingIds() {
      return idsOfEntries(await forge.listDirectory(branchPaths(config).pending, config.branch));
    },
    async readPending(id) {
      const task = await readPendingOnBranch(forge, config, id);
      if (!task) throw new ConfigError(`${config.branch}:${branchPaths(config).pendingFile(id)} vanished`);
      return task;
    },
    runbook(task) {
      const path = task.runbook_path;
      if (!path) return null;
      // An absolute path is on the machine that ran the pipeline: name it, there is nothing to link.
      return isAbsolute(path) || !fileUrl ? { path } : { path, url: fileUrl(path, config.branch) };
    },
  };
}

/** The local queue folder as a source; runbooks are read from disk and quoted in the issue. */
export function localSource(queue: TaskQueue): QueueSource {
  return {
    description: queue.root,
    pendingIds: () => queue.idsIn("pending"),
    readPending: (id) => queue.getPending(id),
    runbook(task) {
      if (!task.runbook_path) return null;
      const file = resolve(task.invocation.cwd, task.runbook_path);
      if (!existsSync(file)) return null;
      return { text: readFileSync(file, "utf8"), path: task.runbook_path };
    },
  };
}
