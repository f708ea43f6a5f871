/**
 * sync: every pending LLM task without a result gets exactly one open issue; an open issue whose task
 * has a result is closed with a comment. Run again, it changes nothing.
 *
 * API calls for N new tasks (GitHub): one listing of `results/` on the queue branch, ⌈open LLM-task
 * issues / 100⌉ pages of the issue list, one create per new task — plus, when the pending tasks are read
 * from the branch rather than from disk, one listing of `pending/` and one read per new task.
 */
import type { HandoffConfig } from "../../config/schema.js";
import type { Forge, ForgeIssue } from "../../forge/types.js";
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
      labels: [LLM_TASK_LABEL.name, taskLabel(task.task).name],
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
