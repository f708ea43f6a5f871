import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { taskId } from "../../src/llm-tasks/ids.js";
import type { PendingTask, ResponseFormat } from "../../src/llm-tasks/schemas.js";

/** A valid pending task for `task` asking `question`, as the client would write it. */
export function makePending(
  task: string,
  question: string,
  extra: { responseFormat?: ResponseFormat; cwd?: string } = {},
): PendingTask {
  const messages = [{ role: "user" as const, content: question }];
  const id = taskId({ task, messages, responseFormat: extra.responseFormat });
  return {
    schema_version: 1,
    id,
    created_at: "2026-01-31T09:00:00.000Z",
    task,
    response_format: extra.responseFormat ?? null,
    messages,
    options: {},
    runbook_path: null,
    result_path: `workspaces/logs/agent_tasks/results/${id}.json`,
    caller: "test",
    invocation: { argv: ["node", "pipeline.mjs"], cwd: extra.cwd ?? "/tmp" },
  };
}

/** A response format asking for `{"kind": string}`. */
export const KIND_SCHEMA: ResponseFormat = {
  type: "json_schema",
  json_schema: {
    name: "kind",
    schema: {
      type: "object",
      required: ["kind"],
      properties: { kind: { type: "string" } },
      additionalProperties: false,
    },
  },
};

/** Writes raw JSON (or text) into a queue subfolder, bypassing Handoff: for testing what readers do. */
export async function writeRaw(
  dir: string,
  folder: "pending" | "results",
  name: string,
  data: unknown,
): Promise<string> {
  await mkdir(join(dir, folder), { recursive: true });
  const file = join(dir, folder, name);
  await writeFile(file, typeof data === "string" ? data : JSON.stringify(data));
  return file;
}
