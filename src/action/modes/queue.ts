/**
 * `mode: sync-tasks` and `mode: fetch-results`: the LLM-task round trip for a pipeline that runs in
 * Actions without the Handoff app, over the same flows as `handoff queue push|sync|pull --forge github`.
 * sync-tasks commits the local queue's pending files to the queue branch and opens one issue per task
 * (closing the issues whose task has a result); fetch-results brings the branch's results into the local
 * queue so the pipeline's rerun continues. The queue branch comes from `.github/handoff.yml`
 * (`llm_tasks.branch`), the local folder from LLM_AGENT_QUEUE_DIR as in the CLI; inputs override both.
 */
import * as core from "@actions/core";
import { loadHandoffConfig } from "../../config/index.js";
import type { HandoffConfig } from "../../config/schema.js";
import { localSource } from "../../flows/llm-tasks/queue-source.js";
import { syncTasks } from "../../flows/llm-tasks/sync.js";
import { pullQueue, pushQueue } from "../../flows/llm-tasks/transfer.js";
import { TaskQueue } from "../../llm-tasks/queue.js";
import { setOutputs, writeStepSummary } from "../outputs.js";
import type { Session } from "../session.js";

async function openQueue(session: Session): Promise<{ queue: TaskQueue; config: HandoffConfig }> {
  const { inputs } = session;
  const loaded = await loadHandoffConfig(session.repoDir);
  const branch = inputs["queue-branch"] ?? loaded.llm_tasks.branch;
  const config = { ...loaded, llm_tasks: { ...loaded.llm_tasks, branch } };
  const env = inputs["queue-dir"]
    ? { ...process.env, LLM_AGENT_QUEUE_DIR: inputs["queue-dir"] }
    : process.env;
  return { queue: TaskQueue.fromEnv(env, session.repoDir), config };
}

const log = (line: string): void => core.info(`handoff: ${line}`);

export async function syncTasksMode(session: Session): Promise<void> {
  const { queue, config } = await openQueue(session);
  const forge = await session.forge();
  const branch = config.llm_tasks.branch;
  core.info(`handoff: syncing ${queue.root} with ${branch}`);
  const pushed = await pushQueue(forge, queue, config.llm_tasks, log);
  const synced = await syncTasks(forge, localSource(queue), config, { log });
  const waiting = synced.created.length + synced.existing.length;
  const rows = [
    ...synced.created.map((c) => `| \`${c.id}\` | opened [#${c.issue}](${c.url}) |`),
    ...synced.existing.map((c) => `| \`${c.id}\` | waiting on #${c.issue} |`),
    ...synced.closed.map((c) => `| \`${c.id}\` | answered: #${c.issue} closed |`),
  ];
  await writeStepSummary(
    session.redactor.redact(
      [
        `### Handoff: ${waiting} LLM task(s) waiting for an answer on \`${branch}\``,
        "",
        `${pushed.pushed.length} pending file(s) pushed, ${pushed.unchanged.length} unchanged, ` +
          `${synced.answered.length} already answered; ${synced.created.length} issue(s) opened, ` +
          `${synced.closed.length} closed.`,
        ...(rows.length ? ["", "| Task | Issue |", "|---|---|", ...rows] : []),
        "",
      ].join("\n"),
    ),
  );
  setOutputs({
    "tasks-pushed": pushed.pushed.length,
    "tasks-waiting": waiting,
    "issues-opened": synced.created.length,
    "issues-closed": synced.closed.length,
  });
}

export async function fetchResultsMode(session: Session): Promise<void> {
  const { queue, config } = await openQueue(session);
  const forge = await session.forge();
  const branch = config.llm_tasks.branch;
  const pulled = await pullQueue(forge, queue, config.llm_tasks, log);
  const pending = new Set(await queue.idsIn("pending"));
  const results = new Set(await queue.idsIn("results"));
  const unanswered = [...pending].filter((id) => !results.has(id)).length;
  await writeStepSummary(
    session.redactor.redact(
      `### Handoff: ${pulled.pulled.length} LLM-task result(s) fetched from \`${branch}\`\n\n` +
        `${pulled.present.length} already in ${queue.root}; ${unanswered} pending task(s) still without a result.\n` +
        (pulled.pulled.length ? `\n${pulled.pulled.map((id) => `- \`${id}\``).join("\n")}\n` : ""),
    ),
  );
  setOutputs({ "results-pulled": pulled.pulled.length, "tasks-waiting": unanswered });
}
