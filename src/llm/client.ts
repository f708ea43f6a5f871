import { appendFile } from "node:fs/promises";
import { isAbsolute } from "node:path";
import { HandoffError, TaskPending } from "../errors.js";
import { assertTaskName, taskId } from "../llm-tasks/ids.js";
import { TaskQueue } from "../llm-tasks/queue.js";
import { displayPath } from "../llm-tasks/queue-dir.js";
import { assertContent, assertResponseFormatUsable } from "../llm-tasks/response-format.js";
import { runbookFor } from "../llm-tasks/runbooks.js";
import {
  type Invocation,
  InvocationSchema,
  type LlmOptions,
  type Message,
  MessagesSchema,
  OptionsSchema,
  type PendingTask,
  type ResponseFormat,
  ResponseFormatSchema,
  SCHEMA_VERSION,
} from "../llm-tasks/schemas.js";
import { assertNesting, parseJsonText, parseWith } from "../util/validate.js";
import { readFailover, recordFailover } from "./failover.js";
import { type Routing, routeTask } from "./mode.js";
import { providerFromEnv } from "./providers/index.js";

/** One LLM call. */
export interface CompleteRequest {
  /** The kind of call, e.g. `release_notes.summarize`: names the task, its file and its runbook. */
  task: string;
  messages: Message[];
  /** OpenAI-style `response_format`; absent or null for plain text. */
  responseFormat?: ResponseFormat | null;
  /** model, temperature… (timeouts and retries are not part of the task id). */
  options?: LlmOptions;
  /** Which code makes the call; defaults to the running script. */
  caller?: string;
}

/** Where and how the call runs; every field defaults to this process's. */
export interface CompleteContext {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The command line recorded as `invocation.argv`, so the answerer can rerun it. */
  argv?: string[];
  now?: () => Date;
}

/**
 * Makes an LLM call the Handoff way. In THINK/AGENT mode (the default) it returns the task's result when
 * one exists, else writes `pending/<id>.json` and throws TaskPending (exit code 75): answer the task, rerun
 * the same command. In API mode (or for a task the LLM_AGENT_* lists leave out) it calls the provider; a
 * provider failure is thrown as it is — never turned into a pending task — and remembered for `failover`.
 */
export async function complete(request: CompleteRequest, context: CompleteContext = {}): Promise<string> {
  const env = context.env ?? process.env;
  const cwd = context.cwd ?? process.cwd();
  assertTaskName(request.task);
  // Callers of the library hand values, not text: refuse a too-deep one before anything walks it.
  assertNesting(request.messages, `messages of ${request.task}`);
  assertNesting(request.responseFormat ?? null, `response_format of ${request.task}`);
  assertNesting(request.options ?? {}, `options of ${request.task}`);
  const messages = parseWith(MessagesSchema, request.messages, `messages of ${request.task}`);
  const responseFormat =
    request.responseFormat == null
      ? null
      : parseWith(ResponseFormatSchema, request.responseFormat, `response_format of ${request.task}`);
  assertResponseFormatUsable(responseFormat, `response_format of ${request.task}`);
  const options = parseWith(OptionsSchema, request.options ?? {}, `options of ${request.task}`);
  const id = taskId({ task: request.task, messages, responseFormat, options });
  const routing = routeTask(request.task, env);
  const queue = TaskQueue.fromEnv(env, cwd);
  if (!routing.intercept)
    return callApi(queue, id, { task: request.task, messages, responseFormat, options }, env);

  const result = await queue.readResult(id);
  if (result) {
    assertContent(responseFormat, result.content, queue.resultPath(id));
    return result.content;
  }
  const pending = await buildPending(
    queue,
    id,
    request,
    { messages, responseFormat, options },
    { env, cwd, context },
  );
  await queue.writePendingIfAbsent(pending);
  await noteForThink(env, id);
  throw pendingError(queue, id, routing, cwd, (await queue.readPending(id)) ?? pending);
}

async function callApi(
  queue: TaskQueue,
  id: string,
  request: { task: string; messages: Message[]; responseFormat: ResponseFormat | null; options: LlmOptions },
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const provider = await providerFromEnv(env, request.options);
  try {
    return await provider.complete(request);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await recordFailover(queue, id, { error: message, provider: provider.name, model: provider.model }).catch(
      () => undefined,
    );
    throw new HandoffError(
      `LLM API call for ${request.task} failed (${provider.name} ${provider.model}): ${message}`,
      {
        cause: error,
      },
    );
  }
}

async function buildPending(
  queue: TaskQueue,
  id: string,
  request: CompleteRequest,
  parsed: { messages: Message[]; responseFormat: ResponseFormat | null; options: LlmOptions },
  where: { env: NodeJS.ProcessEnv; cwd: string; context: CompleteContext },
): Promise<PendingTask> {
  const { env, cwd, context } = where;
  const now = (context.now ?? (() => new Date()))();
  const runbook = await runbookFor(request.task, env, cwd);
  const failover = await readFailover(queue, id).catch(() => undefined);
  const agent = env.LLM_AGENT_NAME?.trim();
  const invocation = invocationOf(env, cwd, context.argv);
  return {
    schema_version: SCHEMA_VERSION,
    id,
    created_at: now.toISOString(),
    task: request.task,
    response_format: parsed.responseFormat,
    messages: parsed.messages,
    options: parsed.options,
    runbook_path: runbook === null ? null : displayPath(runbook, cwd),
    result_path: displayPath(queue.resultPath(id), cwd),
    ...(failover ? { failover } : {}),
    ...(agent ? { claimed_by: agent, claimed_at: now.toISOString() } : {}),
    caller: request.caller ?? defaultCaller(invocation, cwd),
    invocation,
  };
}

/**
 * The command to rerun. `handoff think` passes the command it wraps in HANDOFF_INVOCATION (JSON
 * `{argv, cwd}`), which is what a person would type; otherwise it is this process's command line.
 */
function invocationOf(env: NodeJS.ProcessEnv, cwd: string, argv: string[] | undefined): Invocation {
  const passed = env.HANDOFF_INVOCATION?.trim();
  if (passed)
    return parseWith(InvocationSchema, parseJsonText(passed, "HANDOFF_INVOCATION"), "HANDOFF_INVOCATION");
  return { argv: argv ?? [...process.argv], cwd };
}

function defaultCaller(invocation: Invocation, cwd: string): string {
  const script = invocation.argv[1] ?? invocation.argv[0]!;
  return isAbsolute(script) ? displayPath(script, cwd) : script;
}

/** `handoff think` collects the ids its command left pending through this file. */
async function noteForThink(env: NodeJS.ProcessEnv, id: string): Promise<void> {
  const report = env.HANDOFF_THINK_REPORT?.trim();
  if (report) await appendFile(report, `${id}\n`);
}

function pendingError(
  queue: TaskQueue,
  id: string,
  routing: Routing,
  cwd: string,
  task: PendingTask,
): TaskPending {
  const file = displayPath(queue.pendingPath(id), cwd);
  const runbook = task.runbook_path ? ` following ${task.runbook_path}` : "";
  return new TaskPending(
    `LLM task ${id} is pending (${routing.mode.toUpperCase()} mode, ${routing.reason}): answer ${file}${runbook} ` +
      `with \`handoff queue complete ${id} --content-file ANSWER\`, then rerun the same command`,
    id,
    queue.pendingPath(id),
  );
}
