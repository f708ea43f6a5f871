/**
 * queue push / pull: move LLM-task files between the local queue folder (where a pipeline writes and
 * reads them) and the queue branch on the forge (where issues and `/complete` work on them). Both go
 * through the forge port's contents operations, so they work the same against GitHub (contents API)
 * and the local forge, need no clone of the queue branch, and never touch the working tree's git state.
 */
import type { LlmTasksConfig } from "../../config/schema.js";
import type { Forge } from "../../forge/types.js";
import { toJsonText } from "../../llm-tasks/files.js";
import { writeFileExclusive } from "../../util/fs.js";
import type { TaskQueue } from "../../llm-tasks/queue.js";
import { parseTaskResult } from "../../llm-tasks/schemas.js";
import { parseJsonText } from "../../util/validate.js";
import { branchPaths, idsOfEntries, resultIdsOnBranch } from "./queue-source.js";

export interface PushReport {
  /** Pending files committed (new or changed). */
  pushed: string[];
  /** Already on the branch as they are. */
  unchanged: string[];
  /** Not pushed because the branch already has their result. */
  answered: string[];
}

/** Commits every local pending file to the queue branch (creating the branch when missing). */
export async function pushQueue(
  forge: Forge,
  queue: TaskQueue,
  config: LlmTasksConfig,
  log: (line: string) => void = () => {},
): Promise<PushReport> {
  const paths = branchPaths(config);
  const report: PushReport = { pushed: [], unchanged: [], answered: [] };
  const answered = await resultIdsOnBranch(forge, config);
  for (const id of (await queue.idsIn("pending")).sort()) {
    if (answered.has(id)) {
      report.answered.push(id);
      continue;
    }
    // Parsing first means an invalid pending file is refused here, naming the file, not on GitHub later.
    const task = await queue.getPending(id);
    const outcome = await forge.commitFile({
      branch: config.branch,
      path: paths.pendingFile(id),
      content: toJsonText(task),
      message: `Queue LLM task ${id}`,
    });
    if (outcome.unchanged) report.unchanged.push(id);
    else {
      report.pushed.push(id);
      log(`pushed ${paths.pendingFile(id)} to ${config.branch}`);
    }
  }
  return report;
}

export interface PullReport {
  /** Results written to the local queue. */
  pulled: string[];
  /** Already in the local queue: the local result is kept (a task is completed once). */
  present: string[];
}

/** Writes every result on the queue branch that the local queue lacks (each validated, atomically). */
export async function pullQueue(
  forge: Forge,
  queue: TaskQueue,
  config: LlmTasksConfig,
  log: (line: string) => void = () => {},
): Promise<PullReport> {
  const paths = branchPaths(config);
  const report: PullReport = { pulled: [], present: [] };
  const ids = idsOfEntries(await forge.listDirectory(paths.results, config.branch)).sort();
  const local = new Set(await queue.idsIn("results"));
  for (const id of ids) {
    if (local.has(id)) {
      report.present.push(id);
      continue;
    }
    const file = await forge.readFile(paths.resultFile(id), config.branch);
    if (!file) continue;
    const source = `${config.branch}:${paths.resultFile(id)}`;
    const result = parseTaskResult(parseJsonText(file.content, source), source);
    await queue.ensureDirs();
    if (await writeFileExclusive(queue.resultPath(id), toJsonText(result))) {
      report.pulled.push(id);
      log(`pulled ${id} → ${queue.resultPath(id)}`);
    } else report.present.push(id);
  }
  return report;
}
