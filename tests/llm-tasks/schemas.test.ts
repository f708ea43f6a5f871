import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { parsePendingTask, parseTaskResult } from "../../src/llm-tasks/schemas.js";
import { jsonSchemaOf, SCHEMA_KINDS } from "../../src/schemas.js";
import { makePending } from "../helpers/llm-tasks.js";

describe("pending and result schemas", () => {
  it("accepts a pending task and keeps keys it does not know (forward compatible within v1)", () => {
    const task = { ...makePending("a", "q"), x_extra: 1 };
    expect(parsePendingTask(task, "p.json")).toEqual(task);
  });

  it("refuses an unknown schema_version with an error naming the file", () => {
    const task = { ...makePending("a", "q"), schema_version: 2 };
    expect(() => parsePendingTask(task, "pending/a.json")).toThrow(ConfigError);
    expect(() => parsePendingTask(task, "pending/a.json")).toThrow(
      /^pending\/a\.json: unknown schema_version 2/,
    );
    expect(() => parseTaskResult({ schema_version: "1" }, "r.json")).toThrow(
      /r\.json: unknown schema_version "1"/,
    );
  });

  it("lists every problem with its JSON path", () => {
    const { caller: _c, ...task } = makePending("a", "q");
    const broken = { ...task, messages: [{ role: "robot", content: 1 }], invocation: { argv: [] } };
    let error: ConfigError | undefined;
    try {
      parsePendingTask(broken, "p.json");
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\$\.messages\[0\]\.role: /),
        expect.stringMatching(/^\$\.messages\[0\]\.content: /),
        expect.stringMatching(/^\$\.caller: /),
        expect.stringMatching(/^\$\.invocation\.argv: /),
        expect.stringMatching(/^\$\.invocation\.cwd: /),
      ]),
    );
    expect(error?.message).toMatch(/^p\.json: \d+ problems: /);
  });

  it("refuses an id that does not belong to the task, and a json_schema format without a schema", () => {
    const task = makePending("a", "q");
    expect(() => parsePendingTask({ ...task, task: "b" }, "p.json")).toThrow(
      /\$\.id: id does not start with the task name "b__"/,
    );
    expect(() => parsePendingTask({ ...task, response_format: { type: "json_schema" } }, "p.json")).toThrow(
      /\$\.response_format\.json_schema\.schema: json_schema needs a schema/,
    );
  });

  it("accepts a result with an offset timestamp (as Python's isoformat writes)", () => {
    const result = {
      schema_version: 1,
      id: "a__0123456789abcdef",
      task: "a",
      completed_at: "2026-01-31T09:00:00.123456+00:00",
      content: "x",
    };
    expect(parseTaskResult(result, "r.json").content).toBe("x");
    expect(() => parseTaskResult({ ...result, content: { x: 1 } }, "r.json")).toThrow(
      /r\.json: \$\.content: /,
    );
  });

  it("publishes JSON Schemas generated from the zod schemas", async () => {
    expect(Object.keys(SCHEMA_KINDS)).toEqual(expect.arrayContaining(["pending", "result"]));
    const pending = await jsonSchemaOf("pending");
    expect(pending.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(pending.required).toEqual(
      expect.arrayContaining([
        "schema_version",
        "id",
        "created_at",
        "task",
        "messages",
        "result_path",
        "caller",
        "invocation",
      ]),
    );
    const result = await jsonSchemaOf("result");
    expect((result.properties as Record<string, { const?: number }>).schema_version?.const).toBe(1);
    await expect(jsonSchemaOf("nope")).rejects.toThrow(
      /unknown schema kind "nope": expected one of pending, result/,
    );
  });
});
