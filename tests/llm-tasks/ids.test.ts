import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { assertTaskId, essentialOptions, taskId, taskIdPreimage, taskOfId } from "../../src/llm-tasks/ids.js";

interface Vector {
  name: string;
  task: string;
  messages: unknown;
  response_format?: unknown;
  options?: Record<string, unknown>;
}

const vectors = JSON.parse(
  readFileSync(new URL("../fixtures/id-vectors.json", import.meta.url), "utf8"),
) as Vector[];

// Expected ids were computed outside Handoff, by tests/fixtures/handoff_task.py (its own JCS + hashlib
// SHA-256) on tests/fixtures/id-vectors.json:
//   python3 -c 'import json,sys; sys.path.insert(0,"tests/fixtures"); from handoff_task import task_id;
//     [print(task_id(v["task"], v["messages"], v.get("response_format"), v.get("options")))
//      for v in json.load(open("tests/fixtures/id-vectors.json"))]'
// The first one was also checked by hand: printf '%s' '{"messages":[{"content":"Hello","role":"user"}],
//   "options":{},"response_format":null,"task":"summarize"}' | sha256sum  →  c3f570e91ce7dbd8…
const EXPECTED = [
  "summarize__c3f570e91ce7dbd8",
  "release_notes.classify__e7e28007330890db",
  "release_notes.classify__e7e28007330890db",
  "t-1__90ef3b470087c761",
];

describe("task id", () => {
  it.each(vectors.map((v, i) => [v.name, v, EXPECTED[i]] as const))("%s", (_name, v, expected) => {
    expect(
      taskId({ task: v.task, messages: v.messages, responseFormat: v.response_format, options: v.options }),
    ).toBe(expected);
  });

  it("hashes exactly the documented preimage", () => {
    expect(taskIdPreimage({ task: "summarize", messages: [{ role: "user", content: "Hello" }] })).toBe(
      '{"messages":[{"content":"Hello","role":"user"}],"options":{},"response_format":null,"task":"summarize"}',
    );
  });

  it("treats absent and null response_format alike, and absent options as {}", () => {
    const base = { task: "a", messages: [{ role: "user", content: "x" }] };
    expect(taskId({ ...base, responseFormat: null, options: {} })).toBe(taskId(base));
    expect(taskId({ ...base, options: { model: "m" } })).not.toBe(taskId(base));
  });

  it("drops every non-essential option key, and only those", () => {
    const all = {
      timeout: 1,
      timeout_seconds: 2,
      timeout_s: 3,
      retries: 4,
      max_retries: 5,
      stream: true,
      request_id: "r",
    };
    expect(essentialOptions({ ...all, model: "m", nested: { timeout: 1 } })).toEqual({
      model: "m",
      nested: { timeout: 1 },
    });
  });

  it.each(["../x", "", ".hidden", "a/b", "a b", "x".repeat(129), "é", "-lead"])(
    "refuses the task name %j",
    (task) => {
      expect(() => taskId({ task, messages: [] })).toThrow(UsageError);
      expect(() => taskId({ task, messages: [] })).toThrow(/invalid task name/);
    },
  );

  it("accepts a 128-character task name and names with dots, dashes and underscores", () => {
    expect(taskId({ task: "x".repeat(128), messages: [] })).toMatch(/^x{128}__[0-9a-f]{16}$/);
    expect(taskId({ task: "a.b-c_d", messages: [] })).toMatch(/^a\.b-c_d__/);
  });

  it("splits an id at the last double underscore", () => {
    expect(taskOfId("my__task__0123456789abcdef")).toBe("my__task");
    expect(() => assertTaskId("../etc/passwd__0123456789abcdef")).toThrow(/invalid task id/);
  });
});
