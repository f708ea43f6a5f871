import { existsSync } from "node:fs";
import { mkdir, readFile, realpath, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConflictError } from "../../src/errors.js";
import { prepareWorktree, removeWorktree } from "../../src/worktrees/prepare.js";
import { withGitSandbox } from "../helpers/git.js";

const BRANCH = "handoff/issue-7-add-a-feature";

describe("prepareWorktree", () => {
  it("creates the issue branch from the remote base and a worktree that does not dirty the main tree", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await realpath(await sb.createRepo("repo"));
      const bare = await sb.bareOrigin(repo);
      // The remote base is ahead of the local one: the branch must start from the remote.
      const other = await sb.cloneRepo(bare, "other");
      const remoteTip = await sb.commitFile(other, "remote.txt", "r");
      await sb.git(other, "push", "--quiet", "origin", "main");

      const result = await prepareWorktree({ repo, issue: 7, title: "Add a feature", base: "main" });
      expect(result).toMatchObject({
        branch: BRANCH,
        path: join(repo, ".worktrees", "issue-7"),
        action: "created",
        createdWorktree: true,
        head: remoteTip,
        remote: "origin",
      });
      expect(await sb.git(result.path, "symbolic-ref", "--short", "HEAD")).toBe(BRANCH);
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
      expect(await readFile(join(repo, ".git", "info", "exclude"), "utf8")).toContain("/.worktrees/\n");
      expect(existsSync(join(repo, ".gitignore"))).toBe(false);
      expect(await sb.git(repo, "config", "branch.handoff/issue-7-add-a-feature.remote")).toBe("origin");
    });
  });

  it("works without a remote, from the local base", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const result = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      expect(result).toMatchObject({ branch: BRANCH, remote: null, base: "main", action: "created" });
      expect(result.head).toBe(await sb.head(repo, "main"));
    });
  });

  it("reuses a clean existing worktree and continues the local branch", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const first = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      const work = await sb.commitFile(first.path, "work.txt", "agent work");
      // A renamed issue keeps its branch.
      const again = await prepareWorktree({ repo, issue: 7, title: "Renamed title" });
      expect(again).toMatchObject({ branch: BRANCH, path: first.path, createdWorktree: false, head: work });
      expect(again.action).toBe("continued");
    });
  });

  it("continues a branch that exists only on the remote", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const bare = await sb.bareOrigin(repo);
      const other = await sb.cloneRepo(bare, "other");
      await sb.git(other, "checkout", "--quiet", "-b", BRANCH);
      const pushed = await sb.commitFile(other, "earlier-run.txt", "x");
      await sb.git(other, "push", "--quiet", "origin", BRANCH);

      const result = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      expect(result).toMatchObject({ action: "continued", head: pushed, createdWorktree: true });
      expect(await sb.git(repo, "rev-parse", "--abbrev-ref", `${BRANCH}@{upstream}`)).toBe(
        `origin/${BRANCH}`,
      );
    });
  });

  it("fast-forwards to foreign commits pushed to the remote branch and keeps them", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const bare = await sb.bareOrigin(repo);
      const first = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      await sb.commitFile(first.path, "agent.txt", "a");
      await sb.git(first.path, "push", "--quiet", "origin", BRANCH);
      const other = await sb.cloneRepo(bare, "human");
      await sb.git(other, "checkout", "--quiet", BRANCH);
      const human = await sb.commitFile(other, "human.txt", "reviewer fix", "Reviewer fix");
      await sb.git(other, "push", "--quiet", "origin", BRANCH);

      const again = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      expect(again.action).toBe("fast-forwarded");
      expect(again.head).toBe(human);
      expect(again.foreignCommits.map((c) => c.subject)).toEqual(["Reviewer fix"]);
      expect(await readFile(join(again.path, "human.txt"), "utf8")).toBe("reviewer fix");
    });
  });

  it("rebases unpushed local work on top of foreign remote commits", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const bare = await sb.bareOrigin(repo);
      const first = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      await sb.commitFile(first.path, "agent.txt", "a");
      await sb.git(first.path, "push", "--quiet", "origin", BRANCH);
      await sb.commitFile(first.path, "local-only.txt", "l", "Local only");
      const other = await sb.cloneRepo(bare, "human");
      await sb.git(other, "checkout", "--quiet", BRANCH);
      const human = await sb.commitFile(other, "human.txt", "h", "Reviewer fix");
      await sb.git(other, "push", "--quiet", "origin", BRANCH);

      const again = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      expect(again.action).toBe("rebased");
      expect(await sb.git(again.path, "log", "--format=%s", "-2")).toBe("Local only\nReviewer fix");
      expect(await sb.git(again.path, "merge-base", "--is-ancestor", human, "HEAD")).toBe("");
    });
  });

  it("stops with a ConflictError when the local work conflicts with foreign commits, changing nothing", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const bare = await sb.bareOrigin(repo);
      const first = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      await sb.git(first.path, "push", "--quiet", "origin", BRANCH);
      const local = await sb.commitFile(first.path, "same.txt", "agent version\n");
      const other = await sb.cloneRepo(bare, "human");
      await sb.git(other, "checkout", "--quiet", BRANCH);
      const human = await sb.commitFile(other, "same.txt", "human version\n");
      await sb.git(other, "push", "--quiet", "origin", BRANCH);

      const error = await prepareWorktree({ repo, issue: 7, title: "Add a feature" }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toMatch(/diverged from origin\/handoff\/issue-7-add-a-feature/);
      expect(await sb.head(repo, BRANCH)).toBe(local);
      expect(await sb.head(bare, BRANCH)).toBe(human);
      expect(await sb.git(first.path, "status", "--porcelain")).toBe("");
    });
  });

  it("refuses a dirty existing worktree and changes nothing", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      await sb.bareOrigin(repo);
      const first = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      await sb.writeFile(first.path, "scratch.txt", "uncommitted");
      const before = await sb.refs(repo);
      const error = await prepareWorktree({ repo, issue: 7, title: "Add a feature" }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toMatch(/uncommitted changes.*nothing was changed/);
      expect(await sb.refs(repo)).toBe(before);
      expect(existsSync(join(first.path, "scratch.txt"))).toBe(true);
    });
  });

  it("recreates a worktree whose folder was deleted by hand", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const first = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      const work = await sb.commitFile(first.path, "work.txt", "w");
      await rm(first.path, { recursive: true, force: true });
      const again = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      expect(again).toMatchObject({ path: first.path, createdWorktree: true, head: work });
      expect(await readFile(join(again.path, "work.txt"), "utf8")).toBe("w");
    });
  });

  it("refuses a folder in the worktree's place that is not a worktree", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await realpath(await sb.createRepo("repo"));
      await mkdir(join(repo, ".worktrees", "issue-7"), { recursive: true });
      const before = await sb.refs(repo);
      await expect(prepareWorktree({ repo, issue: 7, title: "x" })).rejects.toThrow(
        /exists but is not a worktree/,
      );
      expect(await sb.refs(repo)).toBe(before);
    });
  });

  it("reports a missing base", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      await expect(prepareWorktree({ repo, issue: 7, base: "develop" })).rejects.toThrow(
        /base develop not found in the local repository/,
      );
    });
  });

  it("removes a worktree, refusing a dirty one unless forced", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const first = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      await sb.writeFile(first.path, "scratch.txt", "x");
      await expect(removeWorktree({ repo, issue: 7 })).rejects.toThrow(ConflictError);
      expect(existsSync(first.path)).toBe(true);
      expect(await removeWorktree({ repo, issue: 7, force: true })).toMatchObject({ removed: true });
      expect(existsSync(first.path)).toBe(false);
      expect(await sb.head(repo, BRANCH)).toBeTruthy();
    });
  });
});
