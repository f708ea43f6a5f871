/**
 * The local forge beyond the contract: where its files live, dispatch records and the dispatcher
 * callback, cancelling, refusing to move a checked-out branch, and clear errors for a broken file.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConflictError, ConfigError } from "../../src/errors.js";
import { type LocalDispatch, LocalForge } from "../../src/forge/index.js";
import { withGitSandbox } from "../helpers/git.js";

describe("LocalForge", () => {
  it("keeps its state in the git common dir, shared by every worktree", () =>
    withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      await sb.git(repo, "worktree", "add", "-q", "-b", "side", join(sb.root, "side"));
      const fromSide = await LocalForge.open(join(sb.root, "side"), { actor: "me" });
      await fromSide.createIssue({ title: "Seen from both", body: "b" });
      const fromMain = await LocalForge.open(repo, { actor: "me" });
      expect((await fromMain.getIssue(1)).title).toBe("Seen from both");
      expect(fromMain.store.dir).toBe(join(repo, ".git", "handoff", "forge"));
      expect(await fromMain.defaultBranch()).toBe("main");
      expect(await sb.git(join(sb.root, "side"), "status", "--porcelain")).toBe("");
    }));

  it("records a dispatch, runs it through the dispatcher at once, and keeps the outcome", () =>
    withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const seen: LocalDispatch[] = [];
      const forge = await LocalForge.open(repo, {
        actor: "me",
        dispatcher: async (d) => {
          seen.push(d);
          if (d.inputs.fail) throw new Error("the playbook failed");
        },
      });
      await forge.dispatchWorkflow({ workflow: "handoff-agent.yml", ref: "main", inputs: { issue: "7" } });
      await forge.dispatchWorkflow({ workflow: "handoff-agent.yml", ref: "main", inputs: { fail: "yes" } });
      expect(seen.map((d) => d.inputs)).toEqual([{ issue: "7" }, { fail: "yes" }]);
      const runs = await forge.listWorkflowRuns({ workflow: "handoff-agent.yml" });
      expect(runs.map((r) => [r.status, r.conclusion])).toEqual([
        ["completed", "failure"],
        ["completed", "success"],
      ]);
      expect((await forge.store.readRun(runs[0]?.id ?? 0))?.error).toBe("the playbook failed");
      await expect(forge.cancelWorkflowRun(runs[0]?.id ?? 0)).rejects.toBeInstanceOf(ConflictError);
    }));

  it("leaves a dispatch queued without a dispatcher, and cancels it", () =>
    withGitSandbox(async (sb) => {
      const forge = await LocalForge.open(await sb.createRepo("repo"), { actor: "me" });
      await forge.dispatchWorkflow({ workflow: "rerun.yml", ref: "main", inputs: {} });
      const [run] = await forge.listWorkflowRuns();
      expect(run?.status).toBe("queued");
      await forge.cancelWorkflowRun(run?.id ?? 0);
      expect((await forge.listWorkflowRuns())[0]).toMatchObject({
        status: "completed",
        conclusion: "cancelled",
      });
    }));

  it("refuses to commit to a branch checked out in a worktree, and leaves it alone", () =>
    withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const forge = await LocalForge.open(repo, { actor: "me" });
      const before = await sb.refs(repo);
      await expect(
        forge.commitFile({ branch: "main", path: "x.txt", content: "x", message: "x" }),
      ).rejects.toThrow(/branch main is checked out at/);
      expect(await sb.refs(repo)).toBe(before);
    }));

  it("names the file and JSON path of a broken state file", () =>
    withGitSandbox(async (sb) => {
      const forge = await LocalForge.open(await sb.createRepo("repo"), { actor: "me" });
      await forge.createIssue({ title: "t", body: "" });
      await writeFile(forge.store.issueFile(1), JSON.stringify({ number: 1, title: 5 }));
      const error = await forge.getIssue(1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`${forge.store.issueFile(1)}:`);
      expect((error as Error).message).toContain("$.title");
      await writeFile(forge.store.file("users.json"), '{"alice": "owner"}');
      await expect(forge.getPermission("alice")).rejects.toThrow(/users\.json: \$\.alice: /);
    }));

  it("treats its own actor as admin and a user missing from users.json as none", () =>
    withGitSandbox(async (sb) => {
      const forge = await LocalForge.open(await sb.createRepo("repo"), { actor: "me" });
      expect(await forge.getPermission("me")).toBe("admin");
      expect(await forge.getPermission("stranger")).toBe("none");
      await forge.createIssue({ title: "t", body: "" });
      const alice = forge.as("alice");
      const comment = await alice.createComment(1, "/complete");
      expect(comment.author.login).toBe("alice");
      await alice.addReaction({ commentId: comment.id }, "+1");
      await alice.addReaction({ commentId: comment.id }, "+1");
      expect((await forge.store.readIssue(1))?.reactions).toEqual([
        { commentId: comment.id, content: "+1", user: "alice" },
      ]);
    }));
});
