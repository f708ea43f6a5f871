import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, ConflictError, NotFoundError, UsageError } from "../../src/errors.js";
import { claimTask, completeTask, releaseTask, requireAgentName } from "../../src/llm-tasks/claims.js";
import { listTasks } from "../../src/llm-tasks/listing.js";
import { gcQueue, validateQueue } from "../../src/llm-tasks/maintenance.js";
import { resolveQueueDir } from "../../src/llm-tasks/queue-dir.js";
import { TaskQueue } from "../../src/llm-tasks/queue.js";
import { KIND_SCHEMA, makePending, writeRaw } from "../helpers/llm-tasks.js";
import { withTempDir } from "../helpers/temp.js";

describe("queue folder", () => {
  it("uses LLM_AGENT_QUEUE_DIR, relative to the working directory", () => {
    expect(resolveQueueDir({ LLM_AGENT_QUEUE_DIR: "q" }, "/w")).toBe("/w/q");
    expect(resolveQueueDir({ LLM_AGENT_QUEUE_DIR: "/abs/q" }, "/w")).toBe("/abs/q");
  });

  it("defaults to workspaces/logs/agent_tasks, and falls back to logs/agent_tasks only when that alone exists", async () => {
    await withTempDir(async (dir) => {
      expect(resolveQueueDir({}, dir)).toBe(join(dir, "workspaces/logs/agent_tasks"));
      await mkdir(join(dir, "logs/agent_tasks"), { recursive: true });
      expect(resolveQueueDir({}, dir)).toBe(join(dir, "logs/agent_tasks"));
      await mkdir(join(dir, "workspaces/logs/agent_tasks"), { recursive: true });
      expect(resolveQueueDir({}, dir)).toBe(join(dir, "workspaces/logs/agent_tasks"));
      expect(resolveQueueDir({ LLM_AGENT_QUEUE_DIR: "  " }, dir)).toBe(
        join(dir, "workspaces/logs/agent_tasks"),
      );
    });
  });
});

describe("TaskQueue", () => {
  it("writes a pending file once: a rerun does not wipe a claim", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(dir);
      const task = makePending("a", "q");
      expect(await queue.writePendingIfAbsent(task)).toBe(true);
      await claimTask(queue, task.id, "ann");
      expect(await queue.writePendingIfAbsent(task)).toBe(false);
      expect((await queue.getPending(task.id)).claimed_by).toBe("ann");
      expect(await readdir(join(dir, "pending"))).toEqual([`${task.id}.json`]);
    });
  });

  it("refuses to write an invalid pending file", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(dir);
      const task = { ...makePending("a", "q"), messages: [] };
      await expect(queue.writePendingIfAbsent(task)).rejects.toThrow(/\$\.messages: at least one message/);
      expect(existsSync(join(dir, "pending"))).toBe(false);
    });
  });

  it("refuses ids that are not ids (no path tricks)", async () => {
    const queue = new TaskQueue("/q");
    expect(() => queue.resultPath("../../etc/passwd")).toThrow(UsageError);
    await expect(claimTask(queue, "x/../y__0123456789abcdef", "ann")).rejects.toThrow(/invalid task id/);
  });

  it("reads malformed JSON and unknown versions as clear errors naming the file", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(dir);
      const bad = await writeRaw(dir, "results", "a__0123456789abcdef.json", "{not json");
      await expect(queue.readResult("a__0123456789abcdef")).rejects.toThrow(`${bad}: malformed JSON`);
      const v9 = await writeRaw(dir, "pending", "b__0123456789abcdef.json", { schema_version: 9 });
      await expect(queue.readPending("b__0123456789abcdef")).rejects.toThrow(
        `${v9}: unknown schema_version 9`,
      );
    });
  });
});

describe("claim, release, complete", () => {
  it("needs an agent name", () => {
    expect(() => requireAgentName(undefined, {})).toThrow(
      /an agent name is required: pass --agent-name NAME or set LLM_AGENT_NAME/,
    );
    expect(() => requireAgentName(" ", { LLM_AGENT_NAME: "" })).toThrow(UsageError);
    expect(requireAgentName(undefined, { LLM_AGENT_NAME: "ann" })).toBe("ann");
    expect(requireAgentName("bob", { LLM_AGENT_NAME: "ann" })).toBe("bob");
  });

  it("lets one agent claim, refuses another, and releases", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(dir);
      const task = makePending("a", "q");
      await queue.writePendingIfAbsent(task);
      const claimed = await claimTask(queue, task.id, "ann", new Date("2026-02-01T00:00:00Z"));
      expect(claimed).toMatchObject({ claimed_by: "ann", claimed_at: "2026-02-01T00:00:00.000Z" });
      await expect(claimTask(queue, task.id, "bob")).rejects.toThrow(ConflictError);
      await expect(claimTask(queue, task.id, "bob")).rejects.toThrow(
        /already claimed by ann since 2026-02-01/,
      );
      await expect(releaseTask(queue, task.id, "bob")).rejects.toThrow(/claimed by ann, not bob/);
      const released = await releaseTask(queue, task.id, "ann");
      expect(released.claimed_by).toBeUndefined();
      expect(JSON.parse(await readFile(queue.pendingPath(task.id), "utf8"))).not.toHaveProperty("claimed_by");
      await expect(releaseTask(queue, task.id, "ann")).rejects.toThrow(/is not claimed/);
      await claimTask(queue, task.id, "bob");
      await releaseTask(queue, task.id, "ann", { force: true });
      await expect(claimTask(queue, "zz__0123456789abcdef", "ann")).rejects.toThrow(NotFoundError);
    });
  });

  it("completes once; a second completion is refused and the first result stays", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(dir);
      const task = makePending("a", "q");
      await queue.writePendingIfAbsent(task);
      const result = await completeTask(queue, task.id, { content: "first", agent: "ann", notes: "n" });
      expect(result).toMatchObject({
        schema_version: 1,
        id: task.id,
        task: "a",
        completed_by: "ann",
        content: "first",
        notes: "n",
      });
      const before = await readFile(queue.resultPath(task.id), "utf8");
      await expect(completeTask(queue, task.id, { content: "second", agent: "bob" })).rejects.toThrow(
        /already completed by ann at .*; the first result is kept/,
      );
      expect(await readFile(queue.resultPath(task.id), "utf8")).toBe(before);
      await expect(claimTask(queue, task.id, "bob")).rejects.toThrow(/already completed/);
    });
  });

  it("refuses an answer that violates the JSON Schema, naming the path, and writes nothing", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(dir);
      const task = makePending("j", "q", { responseFormat: KIND_SCHEMA });
      await queue.writePendingIfAbsent(task);
      await expect(completeTask(queue, task.id, { content: '{"kind": 3}', agent: "ann" })).rejects.toThrow(
        /content does not satisfy the task's response_format: \$\.kind: must be string/,
      );
      await expect(completeTask(queue, task.id, { content: "kind: x", agent: "ann" })).rejects.toThrow(
        /asks for JSON \(json_schema\) but the content is not JSON/,
      );
      await expect(
        completeTask(queue, task.id, { content: '{"kind":"x","more":1}', agent: "ann" }),
      ).rejects.toThrow(ConfigError);
      expect(await readdir(join(dir, "results"))).toEqual([]);
      await completeTask(queue, task.id, { content: '{"kind":"x"}', agent: "ann" });
      expect((await queue.readResult(task.id))?.content).toBe('{"kind":"x"}');
    });
  });

  it("asks json_object answers to be a JSON object", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(dir);
      const task = makePending("o", "q", { responseFormat: { type: "json_object" } });
      await queue.writePendingIfAbsent(task);
      await expect(completeTask(queue, task.id, { content: "[1]", agent: "ann" })).rejects.toThrow(
        /a JSON object/,
      );
      await completeTask(queue, task.id, { content: "{}", agent: "ann" });
    });
  });

  it("refuses to answer a task claimed by someone else unless forced", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(dir);
      const task = makePending("a", "q");
      await queue.writePendingIfAbsent(task);
      await claimTask(queue, task.id, "ann");
      await expect(completeTask(queue, task.id, { content: "x", agent: "bob" })).rejects.toThrow(
        /claimed by ann, not bob/,
      );
      await completeTask(queue, task.id, { content: "x", agent: "bob", force: true });
      await expect(
        completeTask(queue, "none__0123456789abcdef", { content: "x", agent: "bob" }),
      ).rejects.toThrow(NotFoundError);
    });
  });
});

describe("list, validate, gc", () => {
  async function seeded(dir: string): Promise<{ queue: TaskQueue; ids: string[] }> {
    const queue = new TaskQueue(dir);
    const tasks = [makePending("a", "1"), makePending("b", "2"), makePending("c", "3")];
    for (const t of tasks) await queue.writePendingIfAbsent(t);
    await claimTask(queue, tasks[1]!.id, "ann");
    await completeTask(queue, tasks[2]!.id, { content: "done", agent: "bob" });
    return { queue, ids: tasks.map((t) => t.id) };
  }

  it("lists every task with its status, and filters by status", async () => {
    await withTempDir(async (dir) => {
      const { queue, ids } = await seeded(dir);
      const all = await listTasks(queue);
      expect(all.map((t) => [t.id, t.status])).toEqual([
        [ids[0], "pending"],
        [ids[1], "claimed"],
        [ids[2], "completed"],
      ]);
      expect(all[1]).toMatchObject({ claimed_by: "ann" });
      expect(all[2]).toMatchObject({ completed_by: "bob" });
      expect((await listTasks(queue, { status: "claimed" })).map((t) => t.id)).toEqual([ids[1]]);
      expect(await listTasks(new TaskQueue(join(dir, "missing")))).toEqual([]);
    });
  });

  it("shows a broken file as invalid instead of failing the whole list", async () => {
    await withTempDir(async (dir) => {
      const { queue } = await seeded(dir);
      await writeRaw(dir, "pending", "x__0123456789abcdef.json", "{");
      const broken = (await listTasks(queue)).find((t) => t.id === "x__0123456789abcdef");
      expect(broken).toMatchObject({ status: "invalid", problem: expect.stringMatching(/malformed JSON/) });
    });
  });

  it("validates every file and reports each problem", async () => {
    await withTempDir(async (dir) => {
      const { queue } = await seeded(dir);
      expect((await validateQueue(queue)).every((c) => c.ok)).toBe(true);
      const task = makePending("j", "q", { responseFormat: KIND_SCHEMA });
      await queue.writePendingIfAbsent(task);
      // A result written by hand (not through complete) that breaks the schema:
      await writeRaw(dir, "results", `${task.id}.json`, {
        schema_version: 1,
        id: task.id,
        task: "j",
        completed_at: "2026-01-01T00:00:00Z",
        content: '{"kind":1}',
      });
      await writeRaw(dir, "pending", "v__0123456789abcdef.json", {
        ...makePending("v", "q"),
        schema_version: 3,
      });
      const bad = (await validateQueue(queue)).filter((c) => !c.ok);
      expect(bad.map((c) => [c.file.replace(dir, ""), c.problems])).toEqual(
        expect.arrayContaining([
          [`/results/${task.id}.json`, ["content $.kind: must be string"]],
          ["/pending/v__0123456789abcdef.json", ["$.schema_version: unknown version 3"]],
        ]),
      );
    });
  });

  it("gc removes answered pending files and old leftovers, never an open task", async () => {
    await withTempDir(async (dir) => {
      const { queue, ids } = await seeded(dir);
      const leftover = join(dir, "pending", `.${ids[0]}.json.123.abcd.tmp`);
      await writeFile(leftover, '{"partial');
      const fresh = join(dir, "pending", `.${ids[1]}.json.456.abcd.tmp`);
      await writeFile(fresh, "{");
      const old = new Date(Date.now() - 2 * 3600_000);
      await utimes(leftover, old, old);
      const dry = await gcQueue(queue, { dryRun: true });
      expect(dry.answeredPending).toEqual([queue.pendingPath(ids[2]!)]);
      expect(dry.leftovers).toEqual([leftover]);
      expect(existsSync(queue.pendingPath(ids[2]!))).toBe(true);
      await gcQueue(queue);
      expect((await readdir(join(dir, "pending"))).sort()).toEqual(
        [`.${ids[1]}.json.456.abcd.tmp`, `${ids[0]}.json`, `${ids[1]}.json`].sort(),
      );
      expect((await listTasks(queue)).map((t) => t.status)).toEqual(["pending", "claimed", "completed"]);
      const aged = await gcQueue(queue, { resultsOlderThanDays: 0, now: new Date(Date.now() + 1000) });
      expect(aged.oldResults).toEqual([queue.resultPath(ids[2]!)]);
      expect(existsSync(queue.resultPath(ids[2]!))).toBe(false);
    });
  });
});
