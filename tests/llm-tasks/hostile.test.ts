import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TaskQueue } from "../../src/llm-tasks/queue.js";
import { runCli } from "../helpers/cli.js";
import { makePending, writeRaw } from "../helpers/llm-tasks.js";
import { withTempDir } from "../helpers/temp.js";

/** A clean environment: THINK mode, no agent name or queue from the machine running the tests. */
const CLEAN = {
  LLM_EXEC_SLOT: "3",
  LLM_MODE: "",
  LLM_AGENT_NAME: "",
  LLM_AGENT_QUEUE_DIR: "",
  LLM_AGENT_RUNBOOKS_CONFIG: "",
};

const cli = (dir: string, args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: dir, env: { ...CLEAN, LLM_AGENT_QUEUE_DIR: join(dir, "q"), ...env } });

/** A valid result of `task` as Handoff writes it. */
function resultOf(task: { id: string; task: string }, content = "an answer") {
  return {
    schema_version: 1,
    id: task.id,
    task: task.task,
    completed_at: "2026-01-31T10:00:00.000Z",
    completed_by: "ann",
    content,
  };
}

/** Pending tasks plus results that are each broken in one way, keyed by how. */
async function brokenResults(dir: string) {
  const queue = new TaskQueue(join(dir, "q"));
  const kinds = ["empty", "truncated", "version", "other-id", "folder", "dangling", "valid"] as const;
  const tasks = Object.fromEntries(kinds.map((k) => [k, makePending("gc", k)])) as Record<
    (typeof kinds)[number],
    ReturnType<typeof makePending>
  >;
  for (const task of Object.values(tasks)) await queue.writePendingIfAbsent(task);
  const name = (k: (typeof kinds)[number]) => `${tasks[k].id}.json`;
  await writeRaw(queue.root, "results", name("empty"), "");
  await writeRaw(
    queue.root,
    "results",
    name("truncated"),
    JSON.stringify(resultOf(tasks.truncated)).slice(0, 40),
  );
  await writeRaw(queue.root, "results", name("version"), { ...resultOf(tasks.version), schema_version: 2 });
  await writeRaw(queue.root, "results", name("other-id"), resultOf(tasks.valid));
  await mkdir(join(queue.paths.results, name("folder")));
  await symlink(join(dir, "nowhere.json"), join(queue.paths.results, name("dangling")));
  await writeRaw(queue.root, "results", name("valid"), resultOf(tasks.valid));
  return { queue, tasks };
}

describe("queue gc keeps every task without a valid answer (issue 13 §2)", () => {
  it("removes the pending file only where a valid result of that very task exists", async () => {
    await withTempDir(async (dir) => {
      const { queue, tasks } = await brokenResults(dir);
      const gc = await cli(dir, ["queue", "gc", "--agent-name", "ann", "--json"]);
      expect(gc.code).toBe(0);
      const report = JSON.parse(gc.stdout) as { answeredPending: string[]; kept: Array<{ file: string }> };
      expect(report.answeredPending).toEqual([queue.pendingPath(tasks.valid.id)]);
      for (const [kind, task] of Object.entries(tasks)) {
        expect(existsSync(queue.pendingPath(task.id)), kind).toBe(kind !== "valid");
      }
      // Every broken result is named as kept, none removed.
      expect(report.kept.map((k) => k.file).sort()).toEqual(
        Object.entries(tasks)
          .filter(([k]) => k !== "valid")
          .map(([, t]) => queue.resultPath(t.id))
          .sort(),
      );
      expect((await readdir(queue.paths.results)).length).toBe(7);
    });
  });

  it('refuses --results-older-than "" (an unset $DAYS) and removes nothing', async () => {
    await withTempDir(async (dir) => {
      const { queue } = await brokenResults(dir);
      const before = await readdir(queue.paths.results);
      for (const value of ["", " ", "-5", "abc", "1e3"]) {
        const gc = await cli(dir, ["queue", "gc", "--agent-name", "ann", "--results-older-than", value]);
        expect(gc.code, JSON.stringify(value)).toBe(2);
        expect(gc.stderr).toContain(`"${value}" is not a number of days`);
      }
      expect(await readdir(queue.paths.results)).toEqual(before);
      expect(await readdir(queue.paths.pending)).toHaveLength(7);
    });
  });
});

describe("a result is used only by the task it answers (issue 13 §4)", () => {
  it("the pipeline refuses another task's answer under its name, with exit 2 naming the file", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "m.json"), JSON.stringify([{ role: "user", content: "mine?" }]));
      const call = ["llm", "complete", "--task", "mine", "--messages-file", "m.json"];
      const first = await cli(dir, call);
      expect(first.code).toBe(75);
      const id = /mine__[0-9a-f]{16}/.exec(first.stderr)![0];
      const other = makePending("other", "theirs");
      const file = join(dir, "q", "results", `${id}.json`);
      // Same task name, another id; then another task name with this id.
      for (const wrong of [
        { ...resultOf(other), id: "mine__0123456789abcdef", task: "mine" },
        { ...resultOf(other), id: `other__${id.slice(-16)}`, task: "other" },
      ]) {
        await writeFile(file, JSON.stringify(wrong));
        const rerun = await cli(dir, call);
        expect(rerun.stdout).toBe("");
        expect([rerun.code, rerun.stderr]).toEqual([
          2,
          expect.stringContaining(`${file}: $.id: "${wrong.id}" does not match the file name`),
        ]);
        const list = JSON.parse((await cli(dir, ["queue", "list", "--json"])).stdout) as unknown[];
        expect(list).toEqual([expect.objectContaining({ id, status: "invalid" })]);
        expect((await cli(dir, ["queue", "validate"])).code).toBe(1);
      }
    });
  });
});

describe("broken entries are reported one by one; the rest of the queue works (issue 13 §11, §14)", () => {
  it("a folder named *.json in pending/ or results/ is reported and the other tasks go on", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(join(dir, "q"));
      const good = makePending("ok", "fine");
      await queue.writePendingIfAbsent(good);
      const folderPending = "dir__0123456789abcdef";
      const folderResult = makePending("dir", "result is a folder");
      await queue.writePendingIfAbsent(folderResult);
      await mkdir(join(queue.paths.pending, `${folderPending}.json`));
      await mkdir(join(queue.paths.results, `${folderResult.id}.json`));

      const list = await cli(dir, ["queue", "list", "--json"]);
      expect([list.code, list.stderr]).toEqual([0, ""]);
      const rows = JSON.parse(list.stdout) as Array<{ id: string; status: string; problem?: string }>;
      expect(rows.find((r) => r.id === good.id)?.status).toBe("pending");
      for (const id of [folderPending, folderResult.id]) {
        expect(rows.find((r) => r.id === id)).toMatchObject({
          status: "invalid",
          problem: expect.stringMatching(/is a directory, not a JSON file/),
        });
      }
      const validate = await cli(dir, ["queue", "validate"]);
      expect(validate.code).toBe(1);
      expect(validate.stderr).toBe("");
      expect(validate.stdout).toContain(`${folderPending}.json: is a directory`);
      expect(validate.stdout).toContain("2 of 4 files valid");

      const claimGood = await cli(dir, ["queue", "claim", good.id, "--agent-name", "ann"]);
      expect(claimGood.code).toBe(0);
      const claimBad = await cli(dir, ["queue", "claim", folderPending, "--agent-name", "ann"]);
      expect([claimBad.code, claimBad.stderr]).toEqual([
        2,
        expect.stringMatching(new RegExp(`^handoff: \\S+${folderPending}\\.json: is a directory`)),
      ]);
      const gc = await cli(dir, ["queue", "gc", "--agent-name", "ann"]);
      expect([gc.code, gc.stderr]).toEqual([0, ""]);
      expect(existsSync(join(queue.paths.pending, `${folderPending}.json`))).toBe(true);
      expect(existsSync(queue.pendingPath(folderResult.id))).toBe(true);
    });
  });

  it("a dangling symbolic link in results/ reads the same everywhere: an invalid result", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "m.json"), JSON.stringify([{ role: "user", content: "linked?" }]));
      const call = ["llm", "complete", "--task", "link", "--messages-file", "m.json"];
      const id = /link__[0-9a-f]{16}/.exec((await cli(dir, call)).stderr)![0];
      const file = join(dir, "q", "results", `${id}.json`);
      await symlink(join(dir, "gone.json"), file);
      const problem = `${file}: dangling symbolic link`;

      const list = JSON.parse((await cli(dir, ["queue", "list", "--json"])).stdout) as unknown[];
      expect(list).toEqual([
        expect.objectContaining({ id, status: "invalid", problem: expect.stringContaining(problem) }),
      ]);
      const complete = await cli(dir, ["queue", "complete", id, "--content", "x", "--agent-name", "ann"]);
      expect([complete.code, complete.stderr]).toEqual([2, expect.stringContaining(problem)]);
      const claim = await cli(dir, ["queue", "claim", id, "--agent-name", "ann"]);
      expect([claim.code, claim.stderr]).toEqual([2, expect.stringContaining(problem)]);
      const rerun = await cli(dir, call);
      expect([rerun.code, rerun.stderr]).toEqual([2, expect.stringContaining(problem)]);
      expect((await cli(dir, ["queue", "validate"])).stdout).toContain(problem);
    });
  });
});

describe("deeply nested input is a clear error (issue 13 §15)", () => {
  it("messages nested 5,000 levels deep exit 2 naming the file and the path", async () => {
    await withTempDir(async (dir) => {
      const depth = 5000;
      await writeFile(
        join(dir, "deep.json"),
        `[{"role":"user","content":${"[".repeat(depth)}"x"${"]".repeat(depth)}}]`,
      );
      const run = await cli(dir, ["llm", "complete", "--task", "deep", "--messages-file", "deep.json"]);
      expect([run.code, run.stderr]).toEqual([
        2,
        expect.stringMatching(
          /^handoff: deep\.json: \$\[0\]\.content(\[0\])+: nested more than 512 levels deep\n$/,
        ),
      ]);
      expect(existsSync(join(dir, "q"))).toBe(false);
    });
  });

  it("a pending file nested that deep is listed as invalid, and the library call refuses it", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(join(dir, "q"));
      const task = makePending("deep", "file");
      await queue.writePendingIfAbsent(task);
      const text = await readFile(queue.pendingPath(task.id), "utf8");
      const deep = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`;
      await writeFile(queue.pendingPath(task.id), text.replace('"options": {}', `"options": ${deep}`));
      const list = await cli(dir, ["queue", "list", "--json"]);
      expect(list.code).toBe(0);
      expect(JSON.parse(list.stdout)).toEqual([
        expect.objectContaining({ status: "invalid", problem: expect.stringContaining("nested more than") }),
      ]);
      const { complete } = await import("../../src/llm/client.js");
      let content: unknown = "x";
      for (let i = 0; i < 5000; i++) content = [content];
      await expect(
        complete(
          { task: "deep", messages: [{ role: "user", content: content as string }] },
          { env: { ...CLEAN, LLM_AGENT_QUEUE_DIR: join(dir, "q2") }, cwd: dir },
        ),
      ).rejects.toThrow(/messages of deep: \$\[0\]\.content(\[0\])+: nested more than 512 levels deep/);
    });
  });
});
