import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TaskQueue } from "../llm-tasks/queue.js";
import type { PendingTask } from "../llm-tasks/schemas.js";

/** What a THINK run left behind. */
export interface ThinkOutcome {
  /** The command's exit code (75 when it stopped on a pending LLM task); null if a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The tasks the command asked for that have no result yet, in the order it asked. */
  pending: PendingTask[];
  queueDir: string;
}

/**
 * Runs `argv` in THINK mode (the one-shot wrapper: run, answer the task, rerun): LLM_EXEC_SLOT=3, the LLM_MODE escape hatch
 * removed, and the command recorded as the invocation so every pending file says how to rerun it. The
 * ids its LLM calls left pending come back through a report file the client appends to.
 */
export async function runThink(
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<ThinkOutcome> {
  const cwd = options.cwd ?? process.cwd();
  const base = { ...(options.env ?? process.env) };
  delete base.LLM_MODE;
  const dir = await mkdtemp(join(tmpdir(), "handoff-think-"));
  const report = join(dir, "pending-ids");
  try {
    const env = {
      ...base,
      LLM_EXEC_SLOT: "3",
      HANDOFF_INVOCATION: JSON.stringify({ argv, cwd }),
      HANDOFF_THINK_REPORT: report,
    };
    const [program, ...args] = argv;
    if (!program) throw new Error("runThink needs a command");
    const { exitCode, signal } = await new Promise<{
      exitCode: number | null;
      signal: NodeJS.Signals | null;
    }>((resolve, reject) => {
      const child = spawn(program, args, { cwd, env, stdio: "inherit" });
      child.on("error", reject);
      child.on("close", (code, sig) => resolve({ exitCode: code, signal: sig }));
    });
    const ids = (await readFile(report, "utf8").catch(() => ""))
      .split("\n")
      .filter(Boolean)
      .filter((id, i, all) => all.indexOf(id) === i);
    const queue = TaskQueue.fromEnv(env, cwd);
    const pending: PendingTask[] = [];
    for (const id of ids) {
      const task = await queue.readPending(id);
      if (task && !(await queue.readResult(id))) pending.push(task);
    }
    return { exitCode, signal, pending, queueDir: queue.root };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
