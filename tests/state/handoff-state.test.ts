import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { Git } from "../../src/git/git.js";
import { HandoffState } from "../../src/state/handoff-state.js";
import { withGitSandbox } from "../helpers/git.js";

describe("HandoffState", () => {
  it("lives in the common git dir, shared by worktrees, and never dirties the tree", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      await sb.git(repo, "worktree", "add", "--quiet", "-b", "wt", join(sb.root, "wt"));
      const fromMain = await HandoffState.open(new Git(repo));
      const fromWorktree = await HandoffState.open(new Git(join(sb.root, "wt")));
      expect(fromWorktree.dir).toBe(fromMain.dir);
      const sha = await sb.head(repo);
      const branch = "handoff/issue-4-x";
      await fromMain.setLastCheckpoint({
        branch,
        tag: "handoff/checkpoint/4/1",
        sha,
        created_at: "2026-01-01T00:00:00Z",
      });
      expect(await fromWorktree.lastCheckpoint(branch)).toMatchObject({ tag: "handoff/checkpoint/4/1", sha });
      expect(await fromWorktree.lastCheckpoint("other")).toBeNull();
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
    });
  });

  it("keeps checkpoint counters, job indexes and run records", async () => {
    await withGitSandbox(async (sb) => {
      const state = await HandoffState.open(new Git(await sb.createRepo()));
      expect(await state.nextCheckpointNumber("4")).toBe(1);
      await state.setNextCheckpointNumber("4", 3);
      expect(await state.nextCheckpointNumber("4")).toBe(3);
      await state.setJobIndex({
        job_name: "sample",
        current_job_index: 2,
        max_jobs: 3,
        completed: false,
        updated_at: "t",
      });
      expect((await state.jobIndex("sample"))?.current_job_index).toBe(2);
      await state.clearJobIndex("sample");
      expect(await state.jobIndex("sample")).toBeNull();
      await state.writeRunRecord({ run_id: "r2", started_at: "2026-01-02", custom: { kept: true } });
      await state.writeRunRecord({ run_id: "r1", started_at: "2026-01-01", end_reason: "done" });
      expect((await state.listRunRecords()).map((r) => r.run_id)).toEqual(["r1", "r2"]);
      expect(await state.runRecord("r2")).toMatchObject({ custom: { kept: true } });
    });
  });

  it("rejects invalid records and reports a corrupt state file with its path", async () => {
    await withGitSandbox(async (sb) => {
      const state = await HandoffState.open(new Git(await sb.createRepo()));
      await expect(state.writeRunRecord({ run_id: "../escape", started_at: "t" })).rejects.toThrow();
      await state.setNextCheckpointNumber("4", 2);
      const file = join(state.dir, "checkpoint-counters", "4.json");
      expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ issue: "4", next: 2 });
      await writeFile(file, '{"issue":"4","next":0}');
      const error = await state.nextCheckpointNumber("4").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`${file}: $.next`);
    });
  });
});
