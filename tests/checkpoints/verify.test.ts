import { describe, expect, it } from "vitest";
import { rollback } from "../../src/checkpoints/rollback.js";
import { testAfterRollback } from "../../src/checkpoints/verify.js";
import { Git } from "../../src/git/git.js";
import { withGitSandbox } from "../helpers/git.js";

const PLAYBOOK = "name: t\nsteps:\n  - name: only the target's files\n    command: test ! -e later.txt\n";

describe("testAfterRollback", () => {
  it("tests a branch that is not checked out in a scratch worktree, removed afterwards", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo", { files: { ".handoff/playbook.yml": PLAYBOOK } });
      const git = new Git(repo);
      await sb.git(repo, "branch", "feature");
      const target = await sb.head(repo);
      await sb.git(repo, "checkout", "--quiet", "feature");
      await sb.commitFile(repo, "later.txt", "x");
      await sb.git(repo, "checkout", "--quiet", "main");
      const result = await rollback(git, { branch: "feature", to: target });
      const tests = await testAfterRollback(git, result);
      expect(tests).toMatchObject({ ok: true, skipped: false, steps: [{ status: "passed", exitCode: 0 }] });
      expect(tests.cwd).toContain("/handoff/scratch/");
      expect(await git.worktreeList()).toHaveLength(1);
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
    });
  });

  it("reports skipped when there is no playbook, and a failing one as not ok", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const git = new Git(repo);
      const sha = await sb.head(repo);
      const none = await testAfterRollback(git, { sha, worktree: repo });
      expect(none).toMatchObject({ ok: true, skipped: true, steps: [] });
      expect(none.reason).toMatch(/pass --playbook or add \.handoff\/playbook\.yml/);
      await sb.writeFile(sb.root, "fail.yml", "name: f\nsteps:\n  - name: fails\n    command: exit 3\n");
      const failed = await testAfterRollback(git, { sha, worktree: repo }, `${sb.root}/fail.yml`);
      expect(failed).toMatchObject({ ok: false, steps: [{ name: "fails", status: "failed", exitCode: 3 }] });
    });
  });
});
