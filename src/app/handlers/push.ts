import type { Context } from "probot";
import { onTasksChanged } from "../../flows/agent-runs/events.js";
import { branchSource } from "../../flows/llm-tasks/queue-source.js";
import { syncReads, syncTasks } from "../../flows/llm-tasks/sync.js";
import { defaultHandoffConfig } from "../../config/schema.js";
import { isConfigProblem } from "../../flows/llm-tasks/events.js";
import { forgeOf, loadConfig } from "../context.js";

/** The files a push touched, from its payload (no API call). */
function touchedPaths(payload: Context<"push">["payload"]): string[] {
  return payload.commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
}

/**
 * `push` to the queue branch → sync: each new pending task gets its issue, answered ones are closed.
 * Pushes to other branches, branch deletions and pushes that leave the queue folder alone do nothing.
 */
export async function onPush(context: Context<"push">): Promise<void> {
  const { payload } = context;
  if (payload.deleted || !payload.ref.startsWith("refs/heads/")) return;
  const forge = forgeOf(context);
  // A push to the (default) queue branch syncs: read what sync reads with the config, in one request.
  const guess = defaultHandoffConfig();
  const onQueue = payload.ref === `refs/heads/${guess.llm_tasks.branch}`;
  const config = await loadConfig(
    context,
    forge,
    onQueue ? syncReads(guess, branchSource(forge, guess.llm_tasks)) : {},
  );
  if (isConfigProblem(config)) {
    // A push has no issue to answer on; the log says what is wrong, and nothing else happens.
    context.log.warn({ problems: config.problems }, config.message);
    return;
  }
  const queue = config.llm_tasks;
  if (payload.ref === `refs/heads/${payload.repository.default_branch}`) {
    // Task files (tasks.dir) on the default branch become issues and start themselves.
    const report = await onTasksChanged(forge, async () => config, {
      paths: touchedPaths(payload),
    });
    if ("created" in report) {
      context.log.info(
        `task graph: ${report.created.length} opened, ${report.updated.length} updated, ` +
          `${report.started.length} started, ${report.problems.length} problems`,
      );
      for (const problem of report.problems) context.log.warn(problem.message);
    }
  }
  if (payload.ref !== `refs/heads/${queue.branch}`) return;
  // A push that created the branch lists no files for its first commit when it holds many; sync then.
  const paths = touchedPaths(payload);
  if (!payload.created && paths.length && !paths.some((p) => p.startsWith(`${queue.dir}/`))) return;

  const htmlUrl = payload.repository.html_url;
  const fileUrl = (path: string, ref: string) => `${htmlUrl}/blob/${encodeURI(ref)}/${encodeURI(path)}`;
  const report = await syncTasks(forge, branchSource(forge, queue, fileUrl), config, {
    log: (line) => context.log.info(line),
  });
  context.log.info(
    `sync of ${queue.branch}:${queue.dir}: ${report.created.length} opened, ` +
      `${report.existing.length} already open, ${report.closed.length} closed`,
  );
}
