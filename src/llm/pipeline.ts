import { HandoffError, TaskPending } from "../errors.js";
import { type CompleteContext, type CompleteRequest, complete } from "./client.js";

/**
 * Makes several independent LLM calls and stops only after asking all of them, so one round of answers
 * is enough. Returns the answers in order. When some are pending, throws one TaskPending naming every
 * pending task; a real failure (bad input, API error) wins over pending.
 */
export async function completeAll(
  requests: readonly CompleteRequest[],
  context: CompleteContext = {},
): Promise<string[]> {
  const settled = await Promise.allSettled(requests.map((request) => complete(request, context)));
  const failed = settled.find((s) => s.status === "rejected" && !(s.reason instanceof TaskPending));
  if (failed?.status === "rejected") throw failed.reason;
  const pending = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as TaskPending] : []));
  const [first] = pending;
  if (pending.length === 1 && first) throw first;
  if (first) {
    throw new TaskPending(
      `${pending.length} LLM tasks are pending (${pending.map((p) => p.taskId).join(", ")}): answer them ` +
        "(handoff queue list --status pending), then rerun the same command",
      first.taskId,
      first.pendingPath,
    );
  }
  return settled.map((s) => (s as PromiseFulfilledResult<string>).value);
}

/**
 * Runs a pipeline's main function the Handoff way: a pending LLM task ends the process with exit code 75
 * and one line on stderr (not a stack trace and exit 1, which is what an uncaught error would give);
 * other Handoff errors end it with their own exit code and message.
 */
export async function runPipeline(main: () => Promise<unknown>, name = "pipeline"): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof HandoffError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exitCode = error.exitCode;
  }
}
