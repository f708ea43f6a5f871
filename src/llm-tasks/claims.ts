import { ConflictError, UsageError } from "../errors.js";
import { writeFileExclusive } from "../util/fs.js";
import { toJsonText } from "./files.js";
import { withLock } from "./lock.js";
import type { TaskQueue } from "./queue.js";
import { type AnswerInput, buildResult } from "./result.js";
import type { PendingTask, TaskResult } from "./schemas.js";

/** The agent name write commands need: `--agent-name` or LLM_AGENT_NAME. */
export function requireAgentName(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const name = (explicit ?? env.LLM_AGENT_NAME ?? "").trim();
  if (!name) {
    throw new UsageError("an agent name is required: pass --agent-name NAME or set LLM_AGENT_NAME=NAME");
  }
  return name;
}

function completedError(queue: TaskQueue, id: string, result?: TaskResult): ConflictError {
  const by = result?.completed_by ? ` by ${result.completed_by}` : "";
  const at = result?.completed_at ? ` at ${result.completed_at}` : "";
  return new ConflictError(
    `LLM task ${id} is already completed${by}${at}; the first result is kept (${queue.resultPath(id)})`,
  );
}

/** Refuses to touch an answered task. An invalid result file throws a ConfigError naming it. */
async function assertOpen(queue: TaskQueue, id: string): Promise<void> {
  const result = await queue.readResult(id);
  if (result) throw completedError(queue, id, result);
}

/**
 * Claims a pending task for `agent`. Of two agents claiming at the same moment exactly one wins: the
 * read-modify-write happens under the task's lock (src/llm-tasks/lock.ts), and the loser then sees the
 * winner's claim. Claiming again as the same agent refreshes `claimed_at`.
 */
export async function claimTask(
  queue: TaskQueue,
  id: string,
  agent: string,
  now = new Date(),
): Promise<PendingTask> {
  await queue.ensureDirs();
  return withLock(queue.paths.locks, id, async () => {
    const task = await queue.getPending(id);
    await assertOpen(queue, id);
    if (task.claimed_by && task.claimed_by !== agent) {
      throw new ConflictError(
        `LLM task ${id} is already claimed by ${task.claimed_by} since ${task.claimed_at ?? "(unknown time)"}; ` +
          `ask them, or run \`handoff queue release ${id} --force\` if they are gone`,
      );
    }
    const claimed = { ...task, claimed_by: agent, claimed_at: now.toISOString() };
    await queue.replacePending(claimed);
    return claimed;
  });
}

/** Gives a claimed task back. Only its claimer may, unless `force` (for a claimer who went away). */
export async function releaseTask(
  queue: TaskQueue,
  id: string,
  agent: string,
  options: { force?: boolean } = {},
): Promise<PendingTask> {
  await queue.ensureDirs();
  return withLock(queue.paths.locks, id, async () => {
    const task = await queue.getPending(id);
    if (!task.claimed_by) throw new ConflictError(`LLM task ${id} is not claimed`);
    if (task.claimed_by !== agent && !options.force) {
      throw new ConflictError(
        `LLM task ${id} is claimed by ${task.claimed_by}, not ${agent}; use --force to take the claim away`,
      );
    }
    const { claimed_by: _by, claimed_at: _at, ...released } = task;
    await queue.replacePending(released);
    return released;
  });
}

/** What completing a task needs: an answer, and whether to override another agent's claim. */
export interface CompleteTaskInput extends AnswerInput {
  /** Complete even though another agent holds the claim. */
  force?: boolean;
}

/**
 * Writes the result of a pending task. The content must satisfy the task's response_format (JSON,
 * JSON Schema). A task is completed once: a second completion is refused and the first result stays.
 * Nothing is written when any check fails. The check of the claim and the write happen under the
 * task's lock, so a claim by another agent cannot slip in between them.
 */
export async function completeTask(
  queue: TaskQueue,
  id: string,
  input: CompleteTaskInput,
): Promise<TaskResult> {
  await queue.getPending(id); // an unknown task creates nothing, not even the queue's folders
  await queue.ensureDirs();
  return withLock(queue.paths.locks, id, () => completeLocked(queue, id, input));
}

async function completeLocked(queue: TaskQueue, id: string, input: CompleteTaskInput): Promise<TaskResult> {
  const task = await queue.getPending(id);
  const file = queue.resultPath(id);
  await assertOpen(queue, id);
  if (task.claimed_by && task.claimed_by !== input.agent && !input.force) {
    throw new ConflictError(
      `LLM task ${id} is claimed by ${task.claimed_by}, not ${input.agent}; use --force to answer anyway`,
    );
  }
  const result = buildResult(task, input, `answer to ${id}`);
  // link() refuses an existing target, so two completions racing cannot overwrite each other.
  if (!(await writeFileExclusive(file, toJsonText(result))))
    throw completedError(queue, id, await queue.readResult(id));
  return result;
}
