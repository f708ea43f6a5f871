import { existsSync } from "node:fs";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCheckpoint } from "../../src/checkpoints/checkpoints.js";
import { rollback } from "../../src/checkpoints/rollback.js";
import { backupRefName } from "../../src/worktrees/naming.js";
import { ConflictError, NotFoundError } from "../../src/errors.js";
import { Git } from "../../src/git/git.js";
import { prepareWorktree } from "../../src/worktrees/prepare.js";
import { type GitSandbox, withGitSandbox } from "../helpers/git.js";

const BRANCH = "handoff/issue-4-fix-login";

/** A repo with origin, the issue worktree, a checkpoint, then two agent commits pushed. */
async function issueWithWork(sb: GitSandbox) {
  const repo = await sb.createRepo("repo");
  const bare = await sb.bareOrigin(repo);
  const prepared = await prepareWorktree({ repo, issue: 4, title: "Fix login" });
  const wt = prepared.path;
  const git = new Git(wt);
  const checkpoint = await createCheckpoint(git, { runId: "r1", agent: "coder", iteration: 0 });
  await sb.commitFile(wt, "login.ts", "broken\n", "Break login");
  const tip = await sb.commitFile(wt, "more.ts", "more\n", "More changes");
  await sb.git(wt, "push", "--quiet", "origin", BRANCH);
  return { repo, bare, wt, git, checkpoint, tip };
}

describe("rollback", () => {
  it("resets the branch to its last checkpoint, keeps a backup ref and pushes with a lease", async () => {
    await withGitSandbox(async (sb) => {
      const { bare, wt, git, checkpoint, tip } = await issueWithWork(sb);
      const now = new Date("2026-11-21T12:34:56.789Z");
      const result = await rollback(git, { now: () => now });
      expect(result).toMatchObject({
        branch: BRANCH,
        strategy: "reset",
        to: checkpoint.tag,
        sha: checkpoint.sha,
      });
      expect(result.backupRef).toBe(`refs/handoff/backup/${BRANCH}/20261121T123456789Z`);
      expect(result.undone).toHaveLength(2);
      expect(await sb.head(wt, result.backupRef!)).toBe(tip);
      expect(await sb.head(wt)).toBe(checkpoint.sha);
      expect(existsSync(join(wt, "login.ts"))).toBe(false);
      expect(await sb.git(wt, "status", "--porcelain")).toBe("");
      expect(result.push).toMatchObject({ leased: true, sha: checkpoint.sha });
      expect(await sb.head(bare, BRANCH)).toBe(checkpoint.sha);
    });
  });

  it("reverts with one commit that restores the target's tree on top of the tip", async () => {
    await withGitSandbox(async (sb) => {
      const { bare, wt, git, checkpoint, tip } = await issueWithWork(sb);
      const result = await rollback(git, { to: checkpoint.tag, strategy: "revert" });
      expect(result.sha).not.toBe(tip);
      expect(await sb.git(wt, "rev-parse", `${result.sha}^`)).toBe(tip);
      expect(await sb.git(wt, "rev-parse", `${result.sha}^{tree}`)).toBe(
        await sb.git(wt, "rev-parse", `${checkpoint.sha}^{tree}`),
      );
      expect(await sb.git(wt, "log", "-1", "--format=%s")).toBe(`Roll back ${BRANCH} to ${checkpoint.tag}`);
      expect(existsSync(join(wt, "more.ts"))).toBe(false);
      expect(await sb.git(wt, "status", "--porcelain")).toBe("");
      expect(await sb.head(bare, BRANCH)).toBe(result.sha);
    });
  });

  it("refuses reset on the default branch and suggests revert, changing nothing", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const git = new Git(repo);
      const target = await sb.head(repo);
      await sb.commitFile(repo, "x.txt", "x");
      const before = await sb.refs(repo);
      const error = await rollback(git, { to: target }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toMatch(
        /refusing to reset main: it is the default branch.*--strategy revert/,
      );
      expect(await sb.refs(repo)).toBe(before);
      // Revert is allowed there.
      const reverted = await rollback(git, { to: target, strategy: "revert" });
      expect(await sb.git(repo, "rev-parse", `${reverted.sha}^{tree}`)).toBe(
        await sb.git(repo, "rev-parse", `${target}^{tree}`),
      );
    });
  });

  it("refuses a dirty tree and leaves every ref and file as it was", async () => {
    await withGitSandbox(async (sb) => {
      const { wt, git, checkpoint } = await issueWithWork(sb);
      await sb.writeFile(wt, "login.ts", "edited, not committed\n");
      const before = await sb.refs(wt);
      const error = await rollback(git, { to: checkpoint.tag }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toMatch(/uncommitted changes \(1: login.ts\).*nothing was changed/);
      expect(await sb.refs(wt)).toBe(before);
      expect(await readFile(join(wt, "login.ts"), "utf8")).toBe("edited, not committed\n");
    });
  });

  it("refuses a target that is not an ancestor of the branch tip", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, wt, git } = await issueWithWork(sb);
      await sb.git(repo, "checkout", "--quiet", "-b", "elsewhere");
      const unrelated = await sb.commitFile(repo, "other.txt", "o");
      const before = await sb.refs(wt);
      await expect(rollback(git, { to: unrelated })).rejects.toThrow(
        /is not an ancestor of handoff\/issue-4/,
      );
      await expect(rollback(git, { to: "no-such-tag" })).rejects.toThrow(NotFoundError);
      expect(await sb.refs(wt)).toBe(before);
    });
  });

  it("needs --to when the branch has no recorded checkpoint", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      await sb.git(repo, "checkout", "--quiet", "-b", "feature");
      await expect(rollback(new Git(repo))).rejects.toThrow(/no checkpoint recorded for feature: pass --to/);
    });
  });

  it("refuses when the remote branch holds commits the local branch lacks", async () => {
    await withGitSandbox(async (sb) => {
      const { bare, wt, git, checkpoint } = await issueWithWork(sb);
      const human = await sb.cloneRepo(bare, "human");
      await sb.git(human, "checkout", "--quiet", BRANCH);
      const theirs = await sb.commitFile(human, "review.txt", "r");
      await sb.git(human, "push", "--quiet", "origin", BRANCH);
      const localBefore = await sb.head(wt);
      await expect(rollback(git, { to: checkpoint.tag })).rejects.toThrow(
        /has commits that .* does not have/,
      );
      expect(await sb.head(wt)).toBe(localBefore);
      expect(await sb.head(bare, BRANCH)).toBe(theirs);
    });
  });

  it("reports a lost lease when the remote moves between the fetch and the push", async () => {
    await withGitSandbox(async (sb) => {
      const { bare, wt, git, checkpoint } = await issueWithWork(sb);
      const human = await sb.cloneRepo(bare, "human");
      await sb.git(human, "checkout", "--quiet", BRANCH);
      const theirs = await sb.commitFile(human, "review.txt", "r");
      // When the rollback writes its backup ref (after its fetch), another clone pushes to the remote.
      const hook = join(sb.root, "repo", ".git", "hooks", "reference-transaction");
      await writeFile(
        hook,
        [
          "#!/bin/sh",
          '[ "$1" = committed ] || exit 0',
          "grep -q refs/handoff/backup || exit 0",
          "unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE GIT_PREFIX",
          `git -C '${human}' push --quiet origin '${BRANCH}'`,
          "",
        ].join("\n"),
      );
      await chmod(hook, 0o755);
      const error = await rollback(git, { to: checkpoint.tag }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toMatch(
        /rolled back locally .*refs\/handoff\/backup.*remote branch moved/,
      );
      expect(await sb.head(bare, BRANCH)).toBe(theirs);
      expect(await sb.head(wt)).toBe(checkpoint.sha);
    });
  });

  it("moves a branch that is not checked out anywhere", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const git = new Git(repo);
      await sb.git(repo, "checkout", "--quiet", "-b", "feature");
      const target = await sb.head(repo);
      const tip = await sb.commitFile(repo, "f.txt", "f");
      await sb.git(repo, "checkout", "--quiet", "main");
      const result = await rollback(git, { branch: "feature", to: target });
      expect(result.worktree).toBeNull();
      expect(await sb.head(repo, "feature")).toBe(target);
      expect(await sb.head(repo, result.backupRef!)).toBe(tip);
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
    });
  });

  it("does nothing but report when the branch is already at the target", async () => {
    await withGitSandbox(async (sb) => {
      const { wt, git, checkpoint } = await issueWithWork(sb);
      await sb.git(wt, "reset", "--quiet", "--hard", checkpoint.sha);
      await sb.git(wt, "push", "--quiet", "--force", "origin", BRANCH);
      const before = await sb.refs(wt);
      const result = await rollback(git);
      expect(result).toMatchObject({ sha: checkpoint.sha, backupRef: null, undone: [], push: null });
      expect(await sb.refs(wt)).toBe(before);
    });
  });

  it("rolls back a branch never pushed without touching the remote", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const bare = await sb.bareOrigin(repo);
      await sb.git(repo, "checkout", "--quiet", "-b", "local-only");
      const target = await sb.head(repo);
      await sb.commitFile(repo, "x.txt", "x");
      const remoteBefore = await sb.refs(bare);
      const result = await rollback(new Git(repo), { to: target });
      expect(result.push).toBeNull();
      expect(await sb.head(repo)).toBe(target);
      expect(await sb.refs(bare)).toBe(remoteBefore);
    });
  });

  it("names backup refs by branch and UTC time", () => {
    expect(backupRefName("a/b", new Date("2026-01-02T03:04:05.006Z"))).toBe(
      "refs/handoff/backup/a/b/20260102T030405006Z",
    );
  });
});
