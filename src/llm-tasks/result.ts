import { assertContent } from "./response-format.js";
import { type PendingTask, SCHEMA_VERSION, type TaskResult, parseTaskResult } from "./schemas.js";

/** What an answer to an LLM task carries, wherever it comes from (CLI, a `/complete` comment). */
export interface AnswerInput {
  /** The answer: exactly what the pipeline's LLM call will return. */
  content: string;
  notes?: string;
  /** Who answered (recorded as `completed_by`). */
  agent: string;
  now?: Date;
}

/**
 * The result file for an answer, after checking the answer against the task's response_format (JSON,
 * JSON Schema). Throws a ConfigError listing every problem with its JSON path, naming `source`.
 * Every face completes tasks through this one function, so an answer accepted by `handoff queue
 * complete` is exactly an answer accepted by a `/complete` comment.
 */
export function buildResult(task: PendingTask, input: AnswerInput, source: string): TaskResult {
  assertContent(task.response_format, input.content, source);
  const result: TaskResult = {
    schema_version: SCHEMA_VERSION,
    id: task.id,
    task: task.task,
    completed_at: (input.now ?? new Date()).toISOString(),
    completed_by: input.agent,
    content: input.content,
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
  };
  return parseTaskResult(result, source);
}
