import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HandoffError, TaskPending } from "../../src/errors.js";
import { completeTask } from "../../src/llm-tasks/claims.js";
import { TaskQueue } from "../../src/llm-tasks/queue.js";
import { completeAll } from "../../src/llm/pipeline.js";
import { withTempDir } from "../helpers/temp.js";

const ask = (task: string) => ({ task, messages: [{ role: "user" as const, content: `about ${task}` }] });

describe("completeAll", () => {
  it("asks every call before stopping, names every pending task, then returns the answers in order", async () => {
    await withTempDir(async (dir) => {
      const context = { env: { LLM_AGENT_QUEUE_DIR: "q" }, cwd: dir };
      const error = await completeAll([ask("one"), ask("two")], context).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TaskPending);
      expect((error as TaskPending).message).toMatch(
        /^2 LLM tasks are pending \(one__[0-9a-f]{16}, two__[0-9a-f]{16}\)/,
      );
      const queue = new TaskQueue(join(dir, "q"));
      const ids = await queue.idsIn("pending");
      expect(ids).toHaveLength(2);
      await completeTask(
        queue,
        ids.find((i) => i.startsWith("two"))!,
        { content: "2", agent: "a" },
      );
      const single = await completeAll([ask("one"), ask("two")], context).catch((e: unknown) => e);
      expect((single as TaskPending).taskId).toMatch(/^one__/);
      await completeTask(
        queue,
        ids.find((i) => i.startsWith("one"))!,
        { content: "1", agent: "a" },
      );
      expect(await completeAll([ask("one"), ask("two")], context)).toEqual(["1", "2"]);
    });
  });

  it("lets a real failure win over pending tasks", async () => {
    await withTempDir(async (dir) => {
      const error = await completeAll([ask("fine"), ask("../bad")], { env: {}, cwd: dir }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HandoffError);
      expect(error).not.toBeInstanceOf(TaskPending);
      expect((error as Error).message).toMatch(/invalid task name/);
    });
  });
});
