import { createHash } from "node:crypto";
import { UsageError } from "../errors.js";
import { canonicalize } from "./jcs.js";

/** What a task name may look like: it becomes part of a file name, so no slashes, no dot-first. */
export const TASK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** An LLM-task id: `<task>__<16 lowercase hex>`. */
export const TASK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}__[0-9a-f]{16}$/;

/**
 * Option keys that change how a call is made, not what is asked. They never enter the hash, so a
 * pipeline can raise a timeout without orphaning the answers it already has.
 */
export const NON_ESSENTIAL_OPTION_KEYS: readonly string[] = [
  "timeout",
  "timeout_seconds",
  "timeout_s",
  "retries",
  "max_retries",
  "stream",
  "request_id",
];

/** Throws a UsageError unless `task` is a valid task name. */
export function assertTaskName(task: unknown, source = "task"): asserts task is string {
  if (typeof task !== "string" || !TASK_NAME_PATTERN.test(task)) {
    throw new UsageError(
      `${source}: invalid task name ${JSON.stringify(task)}: it must match ${TASK_NAME_PATTERN.source} ` +
        "(letters, digits, '.', '_', '-'; first a letter or digit; at most 128 characters)",
    );
  }
}

/** Throws a UsageError unless `id` is a well-formed task id (it is used as a file name). */
export function assertTaskId(id: unknown, source = "task id"): asserts id is string {
  if (typeof id !== "string" || !TASK_ID_PATTERN.test(id)) {
    throw new UsageError(
      `${source}: invalid task id ${JSON.stringify(id)}: expected <task>__<16 hex digits>`,
    );
  }
}

/** The options that count for the id: `options` without the non-essential keys (top level only). */
export function essentialOptions(
  options: Record<string, unknown> | null | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    if (!NON_ESSENTIAL_OPTION_KEYS.includes(key)) out[key] = value;
  }
  return out;
}

/** What an LLM-task id is computed from. */
export interface TaskIdInput {
  task: string;
  messages: unknown;
  /** `null` or absent when the call asks for plain text. */
  responseFormat?: unknown;
  /** Absent means `{}`; non-essential keys are dropped before hashing. */
  options?: Record<string, unknown> | null;
}

/** The exact bytes (as a string) that are hashed: JCS of `{task, messages, response_format, options}`. */
export function taskIdPreimage(input: TaskIdInput): string {
  return canonicalize({
    task: input.task,
    messages: input.messages,
    response_format: input.responseFormat ?? null,
    options: essentialOptions(input.options),
  });
}

/**
 * The id of an LLM task: `<task>__<h>`, `h` = first 16 hex digits of SHA-256 over the UTF-8 bytes of
 * the JCS (RFC 8785) form of `{"task", "messages", "response_format", "options"}`.
 */
export function taskId(input: TaskIdInput): string {
  assertTaskName(input.task);
  const hash = createHash("sha256").update(taskIdPreimage(input), "utf8").digest("hex");
  return `${input.task}__${hash.slice(0, 16)}`;
}

/** The task name part of an id (ids are split at the last `__`, since names may contain `__`). */
export function taskOfId(id: string): string {
  return id.slice(0, id.lastIndexOf("__"));
}
