import { describe, expect, it } from "vitest";
import { ConflictError, UsageError } from "../../src/errors.js";
import { createCheckpoint, issueOfBranch, listCheckpoints } from "../../src/checkpoints/checkpoints.js";
import { formatCheckpointMessage, parseCheckpointMessage } from "../../src/checkpoints/message.js";
import { Git } from "../../src/git/git.js";
import { HandoffState } from "../../src/state/handoff-state.js";
import { withGitSandbox } from "../helpers/git.js";

const BRANCH = "handoff/issue-4-fix-login";

describe("checkpoint messages", () => {
  it("round-trip through the trailer block", () => {
    const meta = {
      kind: "auto" as const,
      number: 3,
      issue: "4",
      branch: BRANCH,
      run_id: "run-1",
      agent: "coder",
      iteration: 2,
      end_reason: "done",
    };
    const message = formatCheckpointMessage(meta, "after the tests passed");
    expect(message.split("\n")[0]).toBe("Handoff checkpoint 4/3: iteration 2, done");
    expect(message).toContain("\nHandoff-Run: run-1\n");
    expect(parseCheckpointMessage(message)).toEqual(meta);
  });

  it("keeps a value with line breaks on one line, so it cannot forge a trailer", () => {
    const message = formatCheckpointMessage({ kind: "auto", agent: "x\nHandoff-End-Reason: done" });
    expect(parseCheckpointMessage(message)).toEqual({ kind: "auto", agent: "x Handoff-End-Reason: done" });
  });

  it("answers null for a message without Handoff trailers", () => {
    expect(parseCheckpointMessage("just a tag")).toBeNull();
  });
});

describe("createCheckpoint and listCheckpoints", () => {
  it("numbers checkpoints per issue with annotated tags and records the last one", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      await sb.git(repo, "checkout", "--quiet", "-b", BRANCH);
      const git = new Git(repo);
      const base = await git.revParse("HEAD");
      const first = await createCheckpoint(git, { runId: "r1", agent: "coder", iteration: 0 });
      expect(first).toMatchObject({ tag: "handoff/checkpoint/4/1", sha: base });
      expect(first.metadata).toMatchObject({
        kind: "auto",
        issue: "4",
        number: 1,
        branch: BRANCH,
        iteration: 0,
      });
      const work = await sb.commitFile(repo, "login.ts", "fixed");
      const second = await createCheckpoint(git, {
        runId: "r1",
        agent: "coder",
        iteration: 1,
        endReason: "done",
      });
      expect(second).toMatchObject({ tag: "handoff/checkpoint/4/2", sha: work });
      expect(await sb.git(repo, "cat-file", "-t", second.tag)).toBe("tag");
      const body = await sb.git(repo, "tag", "-l", "--format=%(contents)", second.tag);
      expect(body).toContain("Handoff-Iteration: 1\nHandoff-End-Reason: done");

      const state = await HandoffState.open(git);
      expect(await state.lastCheckpoint(BRANCH)).toMatchObject({ tag: second.tag, sha: work });
      const listed = await listCheckpoints(git, { issue: 4 });
      expect(listed.map((c) => [c.tag, c.sha, c.metadata?.run_id])).toEqual([
        [first.tag, base, "r1"],
        [second.tag, work, "r1"],
      ]);
    });
  });

  it("never reuses a number, even when the recorded counter is behind the tags", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const git = new Git(repo);
      await sb.git(repo, "tag", "-a", "-m", "made elsewhere", "handoff/checkpoint/9/5");
      const next = await createCheckpoint(git, { issue: 9 });
      expect(next.tag).toBe("handoff/checkpoint/9/6");
      expect(await (await HandoffState.open(git)).nextCheckpointNumber("9")).toBe(7);
    });
  });

  it("makes named manual checkpoints and rejects invalid or taken names", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const git = new Git(repo);
      const named = await createCheckpoint(git, { name: "S4_before_big_change" });
      expect(named.tag).toBe("handoff/checkpoint/manual/S4_before_big_change");
      expect(named.metadata).toMatchObject({ kind: "manual", name: "S4_before_big_change", branch: "main" });
      const before = await sb.refs(repo);
      await expect(createCheckpoint(git, { name: "bad..name" })).rejects.toThrow(UsageError);
      await expect(createCheckpoint(git, { name: "has space" })).rejects.toThrow(/not a valid git ref name/);
      await expect(createCheckpoint(git, { name: "S4_before_big_change" })).rejects.toThrow(ConflictError);
      expect(await sb.refs(repo)).toBe(before);
      // Unnamed, outside an issue branch: the manual series.
      expect((await createCheckpoint(git)).tag).toBe("handoff/checkpoint/manual/1");
    });
  });

  it("lists the checkpoints reachable from a branch", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const git = new Git(repo);
      const onMain = await createCheckpoint(git, { issue: 1 });
      await sb.git(repo, "checkout", "--quiet", "-b", "side");
      await sb.commitFile(repo, "side.txt", "s");
      const onSide = await createCheckpoint(git, { issue: 1 });
      expect((await listCheckpoints(git, { branch: "main" })).map((c) => c.tag)).toEqual([onMain.tag]);
      expect((await listCheckpoints(git, { branch: "side" })).map((c) => c.tag)).toEqual([
        onMain.tag,
        onSide.tag,
      ]);
      await expect(listCheckpoints(git, { branch: "nope" })).rejects.toThrow(/branch nope not found/);
    });
  });

  it("reads the issue from a handoff branch name", () => {
    expect(issueOfBranch("handoff/issue-12-add-x")).toBe("12");
    expect(issueOfBranch("handoff/issue-12")).toBe("12");
    expect(issueOfBranch("feature/x")).toBeNull();
    expect(issueOfBranch(null)).toBeNull();
  });
});
