import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, ExitCode, HandoffError, TaskPending, UsageError } from "../../src/errors.js";
import { completeTask } from "../../src/llm-tasks/claims.js";
import { taskId } from "../../src/llm-tasks/ids.js";
import { TaskQueue } from "../../src/llm-tasks/queue.js";
import type { PendingTask } from "../../src/llm-tasks/schemas.js";
import { complete, type CompleteRequest } from "../../src/llm/client.js";
import { KIND_SCHEMA, writeRaw } from "../helpers/llm-tasks.js";
import { withLlmServer } from "../helpers/llm-server.js";
import { withTempDir } from "../helpers/temp.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const QUEUE = "workspaces/logs/agent_tasks";
const ask: CompleteRequest = {
  task: "greet",
  messages: [{ role: "user", content: "Say hi" }],
  options: { model: "m1", timeout: 5 },
};
const ID = taskId({ task: "greet", messages: ask.messages, options: { model: "m1" } });

async function pendingError(promise: Promise<unknown>): Promise<TaskPending> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TaskPending) return error;
    throw error;
  }
  throw new Error("expected TaskPending");
}

async function readPending(dir: string, id = ID): Promise<PendingTask> {
  return JSON.parse(await readFile(join(dir, QUEUE, "pending", `${id}.json`), "utf8")) as PendingTask;
}

describe("complete() in THINK and AGENT mode", () => {
  it("writes the pending file and throws TaskPending (exit 75); the rerun returns the result", async () => {
    await withTempDir(async (dir) => {
      const context = {
        env: {},
        cwd: dir,
        argv: ["node", join(dir, "pipe.mjs"), "--x"],
        now: () => new Date("2026-03-01T10:00:00Z"),
      };
      const error = await pendingError(complete(ask, context));
      expect(error.exitCode).toBe(ExitCode.pending);
      expect(error.taskId).toBe(ID);
      expect(error.pendingPath).toBe(join(dir, QUEUE, "pending", `${ID}.json`));
      expect(error.message).toMatch(
        /pending \(THINK mode, LLM_EXEC_SLOT unset.*handoff queue complete greet__[0-9a-f]{16} --content-file/,
      );
      const pending = await readPending(dir);
      expect(pending).toEqual({
        schema_version: 1,
        id: ID,
        created_at: "2026-03-01T10:00:00.000Z",
        task: "greet",
        response_format: null,
        messages: ask.messages,
        options: { model: "m1", timeout: 5 },
        runbook_path: join(REPO, "runbooks/answer-llm-task.md"),
        result_path: `${QUEUE}/results/${ID}.json`,
        caller: "pipe.mjs",
        invocation: { argv: ["node", join(dir, "pipe.mjs"), "--x"], cwd: dir },
      });
      // The same call again, still unanswered: same id, same file, still pending.
      await pendingError(complete(ask, { ...context, now: () => new Date("2027-01-01T00:00:00Z") }));
      expect((await readPending(dir)).created_at).toBe("2026-03-01T10:00:00.000Z");

      await completeTask(new TaskQueue(join(dir, QUEUE)), ID, { content: "hi!", agent: "ann" });
      expect(await complete(ask, context)).toBe("hi!");
      // A changed timeout is not part of the id: the answer still applies.
      expect(await complete({ ...ask, options: { model: "m1", timeout: 99, retries: 3 } }, context)).toBe(
        "hi!",
      );
    });
  });

  it("AGENT mode (slot 4) queues the same way and records LLM_AGENT_NAME as the claimer", async () => {
    await withTempDir(async (dir) => {
      const env = { LLM_EXEC_SLOT: "4", LLM_AGENT_NAME: "mike", LLM_AGENT_QUEUE_DIR: "q" };
      const error = await pendingError(
        complete(
          { ...ask, caller: "my-step" },
          { env, cwd: dir, now: () => new Date("2026-03-01T10:00:00Z") },
        ),
      );
      expect(error.message).toMatch(/AGENT mode/);
      const pending = JSON.parse(await readFile(join(dir, "q/pending", `${ID}.json`), "utf8")) as PendingTask;
      expect(pending).toMatchObject({
        claimed_by: "mike",
        claimed_at: "2026-03-01T10:00:00.000Z",
        caller: "my-step",
        result_path: `q/results/${ID}.json`,
      });
    });
  });

  it("records the command given by `handoff think` (HANDOFF_INVOCATION) and uses the project's runbooks", async () => {
    await withTempDir(async (dir) => {
      await mkdir(join(dir, "runbooks"));
      await writeFile(join(dir, "runbooks/index.yaml"), "default: any.md\n");
      await writeFile(join(dir, "runbooks/any.md"), "# any");
      const env = {
        LLM_AGENT_QUEUE_DIR: ".",
        HANDOFF_INVOCATION: JSON.stringify({ argv: ["make", "notes"], cwd: "/src" }),
      };
      await pendingError(complete(ask, { env, cwd: dir }));
      const pending = JSON.parse(await readFile(join(dir, "pending", `${ID}.json`), "utf8")) as PendingTask;
      expect(pending.invocation).toEqual({ argv: ["make", "notes"], cwd: "/src" });
      expect(pending.runbook_path).toBe("runbooks/any.md");
      const bad = { ...env, HANDOFF_INVOCATION: "{" };
      await expect(complete({ ...ask, task: "other" }, { env: bad, cwd: dir })).rejects.toThrow(
        /HANDOFF_INVOCATION: malformed JSON/,
      );
    });
  });

  it("refuses a bad task name and writes nothing", async () => {
    await withTempDir(async (dir) => {
      for (const task of ["../x", "a/b", ""]) {
        await expect(complete({ ...ask, task }, { env: {}, cwd: dir })).rejects.toThrow(UsageError);
      }
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it("refuses bad messages, response_format and options, naming the JSON path, and writes nothing", async () => {
    await withTempDir(async (dir) => {
      const context = { env: {}, cwd: dir };
      await expect(complete({ task: "t", messages: [] }, context)).rejects.toThrow(
        /messages of t: \$: at least one message is needed/,
      );
      await expect(
        complete({ task: "t", messages: [{ role: "bot", content: "x" }] as never }, context),
      ).rejects.toThrow(/messages of t: \$\[0\]\.role: /);
      await expect(complete({ ...ask, responseFormat: { type: "yaml" } as never }, context)).rejects.toThrow(
        /response_format of greet: \$\.type/,
      );
      await expect(complete({ ...ask, options: [] as never }, context)).rejects.toThrow(ConfigError);
      const notASchema = {
        type: "json_schema" as const,
        json_schema: { name: "x", schema: { type: "no-such-type" } },
      };
      await expect(complete({ ...ask, responseFormat: notASchema }, context)).rejects.toThrow(
        /response_format of greet: response_format\.json_schema\.schema is not a valid JSON Schema/,
      );
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it("refuses a result that violates the task's JSON Schema at pickup", async () => {
    await withTempDir(async (dir) => {
      const request = { ...ask, responseFormat: KIND_SCHEMA };
      const error = await pendingError(complete(request, { env: {}, cwd: dir }));
      await writeRaw(join(dir, QUEUE), "results", `${error.taskId}.json`, {
        schema_version: 1,
        id: error.taskId,
        task: "greet",
        completed_at: "2026-01-01T00:00:00Z",
        content: '{"kind":false}',
      });
      await expect(complete(request, { env: {}, cwd: dir })).rejects.toThrow(
        /results\/greet__[0-9a-f]+\.json: content does not satisfy the task's response_format: \$\.kind: must be string/,
      );
    });
  });

  it("refuses the compatibility switch LLM_MODE under lockdown before touching anything", async () => {
    await withTempDir(async (dir) => {
      await expect(complete(ask, { env: { LLM_MODE: "think" }, cwd: dir })).rejects.toThrow(
        /LLM_MODE=think is refused/,
      );
      expect(await readdir(dir)).toEqual([]);
      await pendingError(
        complete(ask, { env: { LLM_MODE: "think", HANDOFF_EMERGENCY_OVERRIDE: "1" }, cwd: dir }),
      );
    });
  });
});

describe("complete() in API mode", () => {
  it("calls the provider (slot 0) and writes nothing to the queue", async () => {
    await withLlmServer(async (server, url) => {
      await withTempDir(async (dir) => {
        server.openaiAnswer("Hello from the API");
        const env = {
          LLM_EXEC_SLOT: "0",
          HANDOFF_LLM_PROVIDER: "openai",
          OPENAI_API_KEY: "sk-test",
          OPENAI_BASE_URL: `${url}/v1`,
        };
        expect(await complete(ask, { env, cwd: dir })).toBe("Hello from the API");
        expect(server.received[0]?.body).toMatchObject({ model: "m1", messages: ask.messages });
        expect(await readdir(dir)).toEqual([]);
      });
    });
  });

  it("sends tasks left out by the targeting lists to the API, even in THINK mode", async () => {
    await withLlmServer(async (server, url) => {
      await withTempDir(async (dir) => {
        server.anthropicAnswer("from anthropic");
        const env = { LLM_AGENT_EXCLUDE_PREFIXES: "gr", ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: url };
        expect(await complete(ask, { env, cwd: dir })).toBe("from anthropic");
        expect(server.received[0]?.url).toBe("/v1/messages");
      });
    });
  });

  it("fails with the provider's error, never falls back to THINK, and a later THINK run carries the failover", async () => {
    await withLlmServer(async (server, url) => {
      await withTempDir(async (dir) => {
        server.reply(500, { error: { message: "upstream exploded", type: "server_error" } });
        const env = { LLM_EXEC_SLOT: "0", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${url}/v1` };
        const call = complete({ ...ask, options: { ...ask.options, max_retries: 0 } }, { env, cwd: dir });
        await expect(call).rejects.toThrow(HandoffError);
        await expect(call).rejects.not.toBeInstanceOf(TaskPending);
        await expect(call).rejects.toThrow(
          /LLM API call for greet failed \(openai m1\): 500 .*upstream exploded/,
        );
        expect(existsSync(join(dir, QUEUE, "pending"))).toBe(false);

        await pendingError(complete(ask, { env: { LLM_EXEC_SLOT: "3" }, cwd: dir }));
        const pending = await readPending(dir);
        expect(pending.failover).toMatchObject({
          error: expect.stringMatching(/upstream exploded/),
          provider: "openai",
          model: "m1",
          chain: ["openai:m1"],
        });
      });
    });
  });

  it("says what is missing when API mode has no provider, key or model", async () => {
    await withTempDir(async (dir) => {
      const api = { LLM_EXEC_SLOT: "0" };
      await expect(complete(ask, { env: api, cwd: dir })).rejects.toThrow(
        /needs a provider: set HANDOFF_LLM_PROVIDER/,
      );
      await expect(
        complete(ask, { env: { ...api, HANDOFF_LLM_PROVIDER: "openai" }, cwd: dir }),
      ).rejects.toThrow(/OPENAI_API_KEY is not set/);
      await expect(
        complete(ask, { env: { ...api, HANDOFF_LLM_PROVIDER: "mistral" }, cwd: dir }),
      ).rejects.toThrow(/HANDOFF_LLM_PROVIDER=mistral: expected one of openai, anthropic/);
      const noModel = { ...ask, options: {} };
      await expect(complete(noModel, { env: { ...api, ANTHROPIC_API_KEY: "k" }, cwd: dir })).rejects.toThrow(
        /set HANDOFF_LLM_MODEL/,
      );
      expect(await readdir(dir)).toEqual([]);
    });
  });
});
