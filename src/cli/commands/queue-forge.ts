import type { Command } from "commander";
import { type ForgeFlags, addForgeOptions, openForge } from "../forge.js";
import { resolve } from "node:path";
import { printJson, printLine, progress } from "../output.js";

interface ForgeQueueOptions extends ForgeFlags {
  queueDir?: string;
  json?: boolean;
}

async function setUp(options: ForgeQueueOptions) {
  const { TaskQueue, loadHandoffConfig } = await import("./queue-forge-actions.js");
  const env = options.queueDir ? { ...process.env, LLM_AGENT_QUEUE_DIR: options.queueDir } : process.env;
  // The queue folder and .github/handoff.yml are the repository's: `--repo`, else the current directory.
  const root = resolve(options.repo ?? process.cwd());
  const config = await loadHandoffConfig(root);
  return { queue: TaskQueue.fromEnv(env, root), config, forge: await openForge(options) };
}

function withForgeOptions(command: Command): Command {
  return addForgeOptions(command)
    .option(
      "--queue-dir <dir>",
      "local queue folder (default: LLM_AGENT_QUEUE_DIR, else workspaces/logs/agent_tasks)",
    )
    .option("--json", "print the report as JSON")
    .addHelpText(
      "after",
      "\nThe queue branch and folder come from .github/handoff.yml (llm_tasks.branch, default handoff/llm-tasks;\n" +
        "llm_tasks.dir, default workspaces/logs/agent_tasks). docs/github-app.md explains the whole round trip.",
    );
}

/** `handoff queue push|pull|sync`: the local queue and the queue branch on a forge. */
export function registerQueueForge(queue: Command): void {
  withForgeOptions(
    queue
      .command("push")
      .description(
        "Commit the local queue's pending files to the queue branch (for a pipeline running in CI)",
      ),
  ).action(async (options: ForgeQueueOptions) => {
    const { pushQueue } = await import("./queue-forge-actions.js");
    const { queue: q, config, forge } = await setUp(options);
    const report = await pushQueue(forge, q, config.llm_tasks, progress);
    if (options.json) return printJson(report);
    printLine(
      `pushed ${report.pushed.length} pending task(s) to ${config.llm_tasks.branch} on the ${forge.kind} forge` +
        ` (${report.unchanged.length} unchanged, ${report.answered.length} already answered)`,
    );
    if (report.pushed.length) printLine("next: handoff queue sync (or let the app open the issues)");
  });

  withForgeOptions(
    queue
      .command("pull")
      .description(
        "Bring the queue branch's results into the local queue, so the pipeline's rerun continues",
      ),
  ).action(async (options: ForgeQueueOptions) => {
    const { pullQueue } = await import("./queue-forge-actions.js");
    const { queue: q, config, forge } = await setUp(options);
    const report = await pullQueue(forge, q, config.llm_tasks, progress);
    if (options.json) return printJson(report);
    printLine(
      `pulled ${report.pulled.length} result(s) from ${config.llm_tasks.branch} into ${q.paths.results}` +
        ` (${report.present.length} already here)`,
    );
  });

  withForgeOptions(
    queue
      .command("sync")
      .description(
        "Open one issue per local pending task without a result; close issues whose task has a result",
      ),
  ).action(async (options: ForgeQueueOptions) => {
    const { syncTasks, localSource } = await import("./queue-forge-actions.js");
    const { queue: q, config, forge } = await setUp(options);
    const report = await syncTasks(forge, localSource(q), config, { log: progress });
    if (options.json) return printJson(report);
    for (const c of report.created) printLine(`opened #${c.issue} for ${c.id}: ${c.url}`);
    for (const c of report.closed) printLine(`closed #${c.issue}: ${c.id} has a result`);
    printLine(
      `${report.created.length} opened, ${report.existing.length} already open, ` +
        `${report.closed.length} closed, ${report.answered.length} already answered`,
    );
  });
}
