/**
 * The LLM-task file formats: `pending/<id>.json`, `results/<id>.json` and the claim. One zod schema per format; the TypeScript types and the
 * published JSON Schemas (`handoff schema pending|result`) come from these.
 *
 * Objects are "loose": an unknown key is kept, not rejected, because adding an optional key is not a
 * breaking change under the schema_version rule (only a removed or retyped field bumps it) and must
 * not bump the version.
 */
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { parseWith } from "../util/validate.js";
import { TASK_ID_PATTERN, TASK_NAME_PATTERN } from "./ids.js";

/** The version this Handoff writes and reads. Bump only for a breaking change (docs/llm-tasks.md). */
export const SCHEMA_VERSION = 1;

const Timestamp = z.iso
  .datetime({ offset: true })
  .describe("ISO 8601 date-time, e.g. 2026-01-31T09:00:00.000Z");
export const TaskNameSchema = z
  .string()
  .regex(TASK_NAME_PATTERN)
  .describe("Task name (part of the id and file name)");
export const TaskIdSchema = z
  .string()
  .regex(TASK_ID_PATTERN)
  .describe("<task>__<16 hex of SHA-256 over JCS>");

/** One chat message, as OpenAI-compatible APIs take it. Extra keys (name, tool_call_id…) are kept. */
export const MessageSchema = z.looseObject({
  /** Who speaks. */
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  /** Text, or an array of content parts for multi-part messages. */
  content: z.union([z.string(), z.array(z.unknown()), z.null()]),
});
export type Message = z.infer<typeof MessageSchema>;

export const MessagesSchema = z.array(MessageSchema).min(1, "at least one message is needed");

/**
 * What shape the answer must have (OpenAI's `response_format`): `text`, `json_object` (any JSON), or
 * `json_schema` (JSON valid against `json_schema.schema`).
 */
export const ResponseFormatSchema = z
  .looseObject({
    type: z.enum(["text", "json_object", "json_schema"]),
    json_schema: z
      .looseObject({
        name: z.string().optional(),
        /** A JSON Schema (draft 2020-12 or 07) the answer must satisfy. */
        schema: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().optional(),
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.type === "json_schema" && !value.json_schema?.schema) {
      ctx.addIssue({
        code: "custom",
        path: ["json_schema", "schema"],
        message: "json_schema needs a schema",
      });
    }
  });
export type ResponseFormat = z.infer<typeof ResponseFormatSchema>;

/** Call options (model, temperature…). Non-essential keys such as timeout are kept but not hashed. */
export const OptionsSchema = z.record(z.string(), z.unknown());
export type LlmOptions = z.infer<typeof OptionsSchema>;

/** What an earlier API attempt of the same task reported when it failed (never a silent fallback). */
export const FailoverSchema = z.looseObject({
  /** The provider's error message. */
  error: z.string(),
  /** When the API call failed. */
  at: Timestamp,
  provider: z.string().optional(),
  model: z.string().optional(),
  /** The attempts in order, e.g. ["openai:gpt-4o-mini"]. */
  chain: z.array(z.string()).optional(),
});
export type Failover = z.infer<typeof FailoverSchema>;

/** How to rerun the command that wrote the pending task. */
export const InvocationSchema = z.looseObject({
  /** The command line, program first. */
  argv: z.array(z.string()).min(1),
  /** The working directory it ran in. */
  cwd: z.string(),
});
export type Invocation = z.infer<typeof InvocationSchema>;

/** `pending/<id>.json`: an LLM call waiting for an answer. */
export const PendingTaskSchema = z
  .looseObject({
    schema_version: z.literal(SCHEMA_VERSION),
    id: TaskIdSchema,
    created_at: Timestamp,
    task: TaskNameSchema,
    response_format: ResponseFormatSchema.nullable(),
    messages: MessagesSchema,
    options: OptionsSchema,
    /** The runbook to follow when answering (relative to `invocation.cwd` when inside it). */
    runbook_path: z.string().nullable(),
    /** Where the answer goes (relative to `invocation.cwd` when inside it). */
    result_path: z.string(),
    failover: FailoverSchema.optional(),
    /** The agent working on it (LLM_AGENT_NAME or `handoff queue claim`). */
    claimed_by: z.string().min(1).optional(),
    claimed_at: Timestamp.optional(),
    /** Which code made the call (a script, module or CLI). */
    caller: z.string(),
    invocation: InvocationSchema,
  })
  .superRefine(idMatchesTask)
  .describe("Handoff pending LLM task (schema_version 1)");
export type PendingTask = z.infer<typeof PendingTaskSchema>;

/** `results/<id>.json`: the answer to an LLM task. */
export const TaskResultSchema = z
  .looseObject({
    schema_version: z.literal(SCHEMA_VERSION),
    id: TaskIdSchema,
    task: TaskNameSchema,
    completed_at: Timestamp,
    /** The agent or person who answered (LLM_AGENT_NAME). */
    completed_by: z.string().min(1).optional(),
    /** The answer, exactly what the LLM call returns. JSON answers are JSON text. */
    content: z.string(),
    notes: z.string().optional(),
  })
  .superRefine(idMatchesTask)
  .describe("Handoff LLM task result (schema_version 1)");
export type TaskResult = z.infer<typeof TaskResultSchema>;

function idMatchesTask(value: { id: string; task: string }, ctx: z.RefinementCtx): void {
  if (!value.id.startsWith(`${value.task}__`)) {
    ctx.addIssue({
      code: "custom",
      path: ["id"],
      message: `id does not start with the task name "${value.task}__"`,
    });
  }
}

/**
 * Refuses a file written by another schema_version before looking at anything else, so the error says
 * "unknown version" rather than listing every key that moved.
 */
export function checkSchemaVersion(data: unknown, source: string): void {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return;
  const version = (data as Record<string, unknown>).schema_version;
  if (version === undefined || version === SCHEMA_VERSION) return;
  throw new ConfigError(
    `${source}: unknown schema_version ${JSON.stringify(version)}: this Handoff reads schema_version ` +
      `${SCHEMA_VERSION} (convert the file, or use a Handoff that knows that version; see docs/llm-tasks.md)`,
    source,
    [`$.schema_version: unknown version ${JSON.stringify(version)}`],
  );
}

/** Validates parsed JSON as a pending task; errors name `source` and every JSON path at fault. */
export function parsePendingTask(data: unknown, source: string): PendingTask {
  checkSchemaVersion(data, source);
  return parseWith(PendingTaskSchema, data, source);
}

/** Validates parsed JSON as a result; errors name `source` and every JSON path at fault. */
export function parseTaskResult(data: unknown, source: string): TaskResult {
  checkSchemaVersion(data, source);
  return parseWith(TaskResultSchema, data, source);
}
