/**
 * sync: every pending LLM task without a result gets exactly one open issue; an open issue whose task
 * has a result is closed with a comment. Run again, it changes nothing.
 *
 * API calls for N new tasks (GitHub): one GraphQL read of `results/` (names), of `pending/` with its
 * files' texts when the tasks come from the branch, of the first 100 open LLM-task issues and of the
 * repository's labels; one more per further 100 open issues; one create per new task. A label the
 * repository lacks is created (with its colour) once, the first time it is needed.
 */
import type { HandoffConfig } from "../../config/schema.js";
import type { Forge, ForgeIssue, ReadAhead } from "../../forge/types.js";
import { LLM_TASK_LABEL, renderTaskIssueBody, taskIdOfBody, taskIssueTitle, taskLabel } from "./issue.js";
import { type QueueSource, branchPaths, resultIdsOnBranch } from "./queue-source.js";

export interface SyncReport {
  /** Issues opened now, one per task that had none. */
  created: { id: string; issue: number; url: string }[];
  /** Tasks that already had an open issue. */
  existing: { id: string; issue: number }[];
  /** Issues closed because their task has a result. */
  closed: { id: string; issue: number }[];
  /** Pending tasks skipped because they already have a result. */
  answered: string[];
}

/** Open LLM-task issues by task id; a second issue for the same task (made by hand) is ignored. */
export async function openTaskIssues(forge: Forge): Promise<Map<string, ForgeIssue>> {
  const issues = await forge.listIssues({ labels: [LLM_TASK_LABEL.name], state: "open" });
  const byId = new Map<string, ForgeIssue>();
  for (const issue of issues) {
    const id = taskIdOfBody(issue.body);
    if (id && !byId.has(id)) byId.set(id, issue);
  }
  return byId;
}

/** Everything sync reads, for a forge that reads it in one request (Forge.prefetch). */
export function syncReads(config: HandoffConfig, source: Pick<QueueSource, "readAhead">): ReadAhead {
  const queue = config.llm_tasks;
  return {
    folders: [
      { path: branchPaths(queue).results, ref: queue.branch, texts: false },
      ...(source.readAhead?.folders ?? []),
    ],
    openIssuesLabeled: [LLM_TASK_LABEL.name],
    labels: true,
  };
}

export interface SyncOptions {
  /** Progress lines (the CLI prints them; the app logs them). */
  log?: (line: string) => void;
}

export async function syncTasks(
  forge: Forge,
  source: QueueSource,
  config: HandoffConfig,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const log = options.log ?? (() => {});
  const queue = config.llm_tasks;
  await forge.prefetch?.(syncReads(config, source));
  const [pendingIds, resultIds, open] = await Promise.all([
    source.pendingIds(),
    resultIdsOnBranch(forge, queue),
    openTaskIssues(forge),
  ]);
  const report: SyncReport = { created: [], existing: [], closed: [], answered: [] };

  // Sorted, so issues are numbered in a stable order whatever order the listing came in.
  for (const id of [...pendingIds].sort()) {
    if (resultIds.has(id)) {
      report.answered.push(id);
      continue;
    }
    const issue = open.get(id);
    if (issue) {
      report.existing.push({ id, issue: issue.number });
      continue;
    }
    const task = await source.readPending(id);
    const created = await forge.createIssue({
      title: taskIssueTitle(task),
      body: renderTaskIssueBody(task, source.runbook(task), queue, config.permission),
      labels: [LLM_TASK_LABEL, taskLabel(task.task)],
    });
    log(`opened #${created.number} for ${id}`);
    report.created.push({ id, issue: created.number, url: created.url });
  }

  for (const [id, issue] of open) {
    if (!resultIds.has(id)) continue;
    await forge.createComment(
      issue.number,
      `The result of \`${id}\` is on branch \`${queue.branch}\` (\`${branchPaths(queue).resultFile(id)}\`), ` +
        "so this task is answered. Closing.",
    );
    await forge.closeIssue(issue.number);
    log(`closed #${issue.number}: ${id} has a result`);
    report.closed.push({ id, issue: issue.number });
  }
  return report;
}
