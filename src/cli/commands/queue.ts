import { type Command, InvalidArgumentError, Option } from "commander";
import { NotFoundError, UsageError } from "../../errors.js";
import { printJson, printLine } from "../output.js";
import { registerQueueForge } from "./queue-forge.js";
import { readTextInput } from "../input.js";

interface QueueDirOption {
  queueDir?: string;
}
interface AgentOption {
  agentName?: string;
}

const QUEUE_DIR_HELP = "queue folder (default: LLM_AGENT_QUEUE_DIR, else workspaces/logs/agent_tasks)";

async function openQueue(options: QueueDirOption) {
  const { TaskQueue } = await import("../../llm-tasks/queue.js");
  const env = options.queueDir ? { ...process.env, LLM_AGENT_QUEUE_DIR: options.queueDir } : process.env;
  return TaskQueue.fromEnv(env);
}

function withQueueDir(command: Command): Command {
  return command.option("--queue-dir <dir>", QUEUE_DIR_HELP);
}

function withAgentName(command: Command): Command {
  return command.option("--agent-name <name>", "who you are (default: LLM_AGENT_NAME; required)");
}

export function registerQueue(program: Command): void {
  const queue = program
    .command("queue")
    .description("Work the LLM-task queue: list, read, claim, answer and tidy pending LLM tasks")
    .addHelpText(
      "after",
      "\nEnvironment:\n  LLM_AGENT_QUEUE_DIR  the queue folder (default workspaces/logs/agent_tasks)\n" +
        "  LLM_AGENT_NAME       who you are; required by claim, release, complete and gc\n" +
        "\nStart with: handoff queue list --status pending   (runbooks/README.md explains the rest)",
    );

  withQueueDir(
    queue
      .command("list")
      .description("List LLM tasks with their status (pending, claimed, completed)")
      .addOption(
        new Option("--status <status>", "only tasks with this status").choices([
          "pending",
          "claimed",
          "completed",
        ]),
      )
      .option("--json", "print JSON"),
  ).action(
    async (options: QueueDirOption & { status?: "pending" | "claimed" | "completed"; json?: boolean }) => {
      const { listTasks } = await import("../../llm-tasks/listing.js");
      const tasks = await listTasks(await openQueue(options), { status: options.status });
      if (options.json) return printJson(tasks);
      if (tasks.length === 0) return printLine("no LLM tasks");
      for (const t of tasks) {
        const who = t.claimed_by
          ? ` (claimed by ${t.claimed_by})`
          : t.completed_by
            ? ` (by ${t.completed_by})`
            : "";
        const extra = t.problem ? `  ${t.problem}` : t.runbook_path ? `  runbook: ${t.runbook_path}` : "";
        printLine(`${t.status.padEnd(9)} ${t.id}${who}${extra}`);
      }
    },
  );

  withQueueDir(
    queue
      .command("show")
      .description("Show one LLM task: its pending file and its result, if any")
      .argument("<id>", "task id (<task>__<hash>)")
      .option("--json", "print JSON"),
  ).action(async (id: string, options: QueueDirOption & { json?: boolean }) => {
    const { statusOf } = await import("../../llm-tasks/queue.js");
    const q = await openQueue(options);
    const [pending, result] = [await q.readPending(id), await q.readResult(id)];
    if (!pending && !result) throw new NotFoundError(`no LLM task ${id} in ${q.root}`);
    const status = statusOf(pending, result !== undefined);
    if (options.json) return printJson({ id, status, pending: pending ?? null, result: result ?? null });
    printLine(`${id}: ${status}`);
    if (pending) printLine(`pending: ${q.pendingPath(id)}\n${JSON.stringify(pending, null, 2)}`);
    if (result) printLine(`result: ${q.resultPath(id)}\n${JSON.stringify(result, null, 2)}`);
  });

  withQueueDir(
    queue
      .command("prompt")
      .description("Print a pending task for an agent to answer: runbook, answer format, messages, commands")
      .argument("<id>", "task id"),
  ).action(async (id: string, options: QueueDirOption) => {
    const { renderPrompt } = await import("../../llm-tasks/prompt.js");
    const { statusOf } = await import("../../llm-tasks/queue.js");
    const q = await openQueue(options);
    const pending = await q.getPending(id);
    const answered = (await q.readResult(id)) !== undefined;
    process.stdout.write(await renderPrompt(pending, statusOf(pending, answered)));
  });

  withAgentName(
    withQueueDir(
      queue
        .command("claim")
        .description("Claim a pending task so nobody else answers it (one of two racing claimers wins)")
        .argument("<id>", "task id")
        .option("--json", "print the claimed task as JSON"),
    ),
  ).action(async (id: string, options: QueueDirOption & AgentOption & { json?: boolean }) => {
    const { claimTask, requireAgentName } = await import("../../llm-tasks/claims.js");
    const agent = requireAgentName(options.agentName);
    const task = await claimTask(await openQueue(options), id, agent);
    if (options.json) printJson(task);
    else printLine(`claimed ${id} for ${agent}; read it with: handoff queue prompt ${id}`);
  });

  withAgentName(
    withQueueDir(
      queue
        .command("release")
        .description("Give a claimed task back to the queue")
        .argument("<id>", "task id")
        .option("--force", "release another agent's claim"),
    ),
  ).action(async (id: string, options: QueueDirOption & AgentOption & { force?: boolean }) => {
    const { releaseTask, requireAgentName } = await import("../../llm-tasks/claims.js");
    const agent = requireAgentName(options.agentName);
    await releaseTask(await openQueue(options), id, agent, { force: options.force });
    printLine(`released ${id}`);
  });

  withAgentName(
    withQueueDir(
      queue
        .command("complete")
        .description("Answer a pending task: writes results/<id>.json (checked against its response_format)")
        .argument("<id>", "task id")
        .option("--content <text>", "the answer")
        .option("--content-file <file>", "read the answer from a file ('-' = standard input)")
        .option("--notes <text>", "a note for the record (not returned to the pipeline)")
        .option("--force", "answer a task another agent has claimed")
        .option("--json", "print the result as JSON"),
    ),
  ).action(
    async (
      id: string,
      options: QueueDirOption &
        AgentOption & {
          content?: string;
          contentFile?: string;
          notes?: string;
          force?: boolean;
          json?: boolean;
        },
    ) => {
      const { completeTask, requireAgentName } = await import("../../llm-tasks/claims.js");
      const agent = requireAgentName(options.agentName);
      if ((options.content === undefined) === (options.contentFile === undefined)) {
        throw new UsageError(
          "give the answer with exactly one of --content TEXT or --content-file FILE ('-' = stdin)",
        );
      }
      const content =
        options.contentFile !== undefined
          ? await readTextInput(options.contentFile, "--content-file")
          : options.content!;
      const q = await openQueue(options);
      const result = await completeTask(q, id, {
        content,
        notes: options.notes,
        agent,
        force: options.force,
      });
      if (options.json) printJson(result);
      else {
        const { displayPath } = await import("../../llm-tasks/queue-dir.js");
        printLine(
          `completed ${id} → ${displayPath(q.resultPath(id), process.cwd())}; rerun the pipeline to pick it up`,
        );
      }
    },
  );

  withQueueDir(
    queue
      .command("validate")
      .description(
        "Check every pending and result file against its schema (and results against response_format)",
      )
      .option("--json", "print JSON"),
  ).action(async (options: QueueDirOption & { json?: boolean }) => {
    const { validateQueue } = await import("../../llm-tasks/maintenance.js");
    const checks = await validateQueue(await openQueue(options));
    const bad = checks.filter((c) => !c.ok);
    if (bad.length) process.exitCode = 1;
    if (options.json) return printJson({ ok: bad.length === 0, files: checks.length, invalid: bad });
    for (const c of bad) for (const p of c.problems) printLine(`${c.file}: ${p}`);
    printLine(`${checks.length - bad.length} of ${checks.length} files valid`);
  });

  withAgentName(
    withQueueDir(
      queue
        .command("gc")
        .description(
          "Tidy the queue: remove pending files of answered tasks, their failover records, and leftovers",
        )
        .option("--dry-run", "only say what would be removed")
        .option("--results-older-than <days>", "also remove results completed more than DAYS ago", parseDays)
        .option("--json", "print JSON"),
    ),
  ).action(
    async (
      options: QueueDirOption & AgentOption & { dryRun?: boolean; resultsOlderThan?: number; json?: boolean },
    ) => {
      const { gcQueue } = await import("../../llm-tasks/maintenance.js");
      const { requireAgentName } = await import("../../llm-tasks/claims.js");
      // Removing files is a write: say who did it, like claim and complete (a dry run only reads).
      if (!options.dryRun) requireAgentName(options.agentName);
      const report = await gcQueue(await openQueue(options), {
        dryRun: options.dryRun,
        resultsOlderThanDays: options.resultsOlderThan,
      });
      if (options.json) return printJson({ dry_run: Boolean(options.dryRun), ...report });
      const verb = options.dryRun ? "would remove" : "removed";
      const all = [
        ...report.answeredPending,
        ...report.failoverRecords,
        ...report.leftovers,
        ...report.oldResults,
      ];
      for (const file of all) printLine(`${verb} ${file}`);
      for (const { problem } of report.kept) printLine(`kept ${problem}`);
      printLine(`${verb} ${all.length} file(s)${report.kept.length ? `, kept ${report.kept.length}` : ""}`);
    },
  );

  registerQueueForge(queue);
}

/** A number of days ≥ 0. An empty value (an unset `$DAYS`) is refused, never read as 0 = "everything". */
function parseDays(value: string): number {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value))
    throw new InvalidArgumentError(`"${value}" is not a number of days (give a whole or decimal number ≥ 0)`);
  return Number(value);
}
