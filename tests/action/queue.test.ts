import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildResult } from "../../src/llm-tasks/result.js";
import { toJsonText } from "../../src/llm-tasks/files.js";
import { TOKEN, withActionFixture } from "../helpers/action.js";
import { makePending, writeRaw } from "../helpers/llm-tasks.js";

const QUEUE = "workspaces/logs/agent_tasks";
const BRANCH = "handoff/llm-tasks";
const FIRST = makePending("classify", "Is this a bug?");
const SECOND = makePending("summarise", "Summarise the log.");

describe("the action's LLM-task modes (dist/action.js as a child process)", () => {
  it("sync-tasks pushes the pending files and opens one issue per task; fetch-results brings answers back", async () => {
    await withActionFixture({}, async (f) => {
      const queue = join(f.workspace, QUEUE);
      for (const task of [FIRST, SECOND]) await writeRaw(queue, "pending", `${task.id}.json`, task);

      const sync = await f.run("main", { mode: "sync-tasks", "github-token": TOKEN });
      expect(sync.code, sync.stdout + sync.stderr).toBe(0);
      expect(sync.outputs).toMatchObject({
        "tasks-pushed": "2",
        "issues-opened": "2",
        "issues-closed": "0",
        "tasks-waiting": "2",
      });
      const onBranch = f.api.contents.get(BRANCH)!;
      expect(JSON.parse(onBranch.get(`${QUEUE}/pending/${FIRST.id}.json`)!)).toEqual(FIRST);
      expect(JSON.parse(onBranch.get(`${QUEUE}/pending/${SECOND.id}.json`)!)).toEqual(SECOND);
      const issues = [...f.api.issues.values()];
      expect(issues.map((i) => i.labels).sort()).toEqual([
        ["handoff:llm-task", "task:classify"],
        ["handoff:llm-task", "task:summarise"],
      ]);
      expect(issues.map((i) => i.body.split("\n")[0]).sort()).toEqual(
        [FIRST.id, SECOND.id].map((id) => `<!-- handoff:llm-task id=${id} -->`).sort(),
      );
      expect(sync.summary).toContain("2 LLM task(s) waiting for an answer");

      // Again: nothing new is committed or opened.
      const again = await f.run("main", { mode: "sync-tasks", "github-token": TOKEN });
      expect(again.code, again.stderr).toBe(0);
      expect(again.outputs).toMatchObject({
        "tasks-pushed": "0",
        "issues-opened": "0",
        "tasks-waiting": "2",
      });
      expect(f.api.issues.size).toBe(2);

      // Someone answers the first task (what /complete commits), then the pipeline fetches it.
      const result = buildResult(FIRST, { content: '{"bug": true}', agent: "alice" }, "test");
      onBranch.set(`${QUEUE}/results/${FIRST.id}.json`, toJsonText(result));
      const fetch = await f.run("main", { mode: "fetch-results", "github-token": TOKEN });
      expect(fetch.code, fetch.stdout + fetch.stderr).toBe(0);
      expect(fetch.outputs).toMatchObject({ "results-pulled": "1", "tasks-waiting": "1" });
      expect(JSON.parse(await readFile(join(queue, "results", `${FIRST.id}.json`), "utf8"))).toEqual(result);
      expect(fetch.summary).toContain("1 LLM-task result(s) fetched");
      const refetch = await f.run("main", { mode: "fetch-results", "github-token": TOKEN });
      expect(refetch.outputs).toMatchObject({ "results-pulled": "0", "tasks-waiting": "1" });

      // The next sync closes the answered task's issue and leaves the other one open.
      const close = await f.run("main", { mode: "sync-tasks", "github-token": TOKEN });
      expect(close.outputs).toMatchObject({ "issues-closed": "1", "tasks-waiting": "1" });
      const open = [...f.api.issues.values()].filter((i) => i.state === "open");
      expect(open.map((i) => i.labels[1])).toEqual(["task:summarise"]);

      expect(f.api.problems).toEqual([]);
      expect(JSON.stringify(f.api.calls.map((c) => c.body))).not.toContain(TOKEN);
    });
  });

  it("takes the queue branch from .github/handoff.yml and the folder from inputs, which override", async () => {
    const config = { ".github/handoff.yml": "llm_tasks:\n  branch: pipeline/questions\n" };
    await withActionFixture(config, async (f) => {
      await writeRaw(join(f.workspace, "q"), "pending", `${FIRST.id}.json`, FIRST);
      const fromConfig = await f.run("main", { mode: "sync-tasks", "queue-dir": "q", "github-token": TOKEN });
      expect(fromConfig.code, fromConfig.stdout + fromConfig.stderr).toBe(0);
      expect(f.api.contents.get("pipeline/questions")?.has(`${QUEUE}/pending/${FIRST.id}.json`)).toBe(true);
      expect(f.api.contents.has(BRANCH)).toBe(false);

      const overridden = await f.run("main", {
        mode: "sync-tasks",
        "queue-dir": "q",
        "queue-branch": "other/queue",
        "github-token": TOKEN,
      });
      expect(overridden.outputs["tasks-pushed"]).toBe("1");
      expect(f.api.contents.get("other/queue")?.has(`${QUEUE}/pending/${FIRST.id}.json`)).toBe(true);
      expect(f.api.problems).toEqual([]);
    });
  });

  it("refuses an invalid pending file, naming it, and commits or opens nothing", async () => {
    await withActionFixture({}, async (f) => {
      const queue = join(f.workspace, QUEUE);
      const bad = await writeRaw(queue, "pending", `${FIRST.id}.json`, { ...FIRST, messages: "not a list" });
      const result = await f.run("main", { mode: "sync-tasks", "github-token": TOKEN });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/::error::.*agent_tasks\/pending\/.*\.json/);
      expect(result.stdout).toContain("messages");
      expect(f.api.contents.get(BRANCH)).toBeUndefined();
      expect(f.api.issues.size).toBe(0);
      expect(existsSync(bad)).toBe(true);
      expect(f.api.problems).toEqual([]);
    });
  });

  it("refuses a queue-branch input that is not a branch name before any call", async () => {
    await withActionFixture({}, async (f) => {
      const result = await f.run("main", {
        mode: "fetch-results",
        "queue-branch": "a..b",
        "github-token": TOKEN,
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("::error::input `queue-branch` must be a branch name");
      expect(f.api.calls).toEqual([]);
    });
  });
});
