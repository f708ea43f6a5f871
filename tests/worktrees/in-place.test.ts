import { existsSync } from "node:fs";
import { readFile, realpath, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConflictError } from "../../src/errors.js";
import { prepareWorktree, resetIssue } from "../../src/worktrees/prepare.js";
import { withGitSandbox } from "../helpers/git.js";

const BRANCH = "handoff/issue-7-add-a-feature";

describe("prepareWorktree in place (the Action's job checkout)", () => {
  it("switches the clean checkout to a new issue branch from the remote base, with no second worktree", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await realpath(await sb.createRepo("repo"));
      const bare = await sb.bareOrigin(repo);
      const checkout = await realpath(await sb.cloneRepo(bare, "checkout"));
      // The remote base moves on after the job's checkout: the branch must start from the remote.
      const other = await sb.cloneRepo(bare, "other");
      const remoteTip = await sb.commitFile(other, "remote.txt", "r");
      await sb.git(other, "push", "--quiet", "origin", "main");
      const mainBefore = await sb.head(checkout, "main");

      const result = await prepareWorktree({
        repo: checkout,
        issue: 7,
        title: "Add a feature",
        inPlace: true,
      });
      expect(result).toMatchObject({
        branch: BRANCH,
        path: checkout,
        action: "created",
        createdWorktree: false,
        head: remoteTip,
      });
      expect(await sb.git(checkout, "symbolic-ref", "--short", "HEAD")).toBe(BRANCH);
      expect(existsSync(join(checkout, ".worktrees"))).toBe(false);
      expect((await sb.git(checkout, "worktree", "list", "--porcelain")).match(/^worktree /gm)).toHaveLength(
        1,
      );
      // The checkout's own branch is left where it was.
      expect(await sb.head(checkout, "main")).toBe(mainBefore);
    });
  });

  it("continues the issue branch from the remote, fast-forwarding to commits made elsewhere", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const bare = await sb.bareOrigin(repo);
      const first = await prepareWorktree({ repo, issue: 7, title: "Add a feature" });
      const work = await sb.commitFile(first.path, "work.txt", "agent work");
      await sb.git(first.path, "push", "--quiet", "origin", BRANCH);
      const checkout = await sb.cloneRepo(bare, "checkout");
      const again = await prepareWorktree({ repo: checkout, issue: 7, title: "Renamed", inPlace: true });
      expect(again).toMatchObject({ branch: BRANCH, head: work, action: "continued" });
      expect(await readFile(join(checkout, "work.txt"), "utf8")).toBe("agent work");
      // Run again in the same checkout, already on the branch: nothing to switch.
      const third = await prepareWorktree({ repo: checkout, issue: 7, inPlace: true });
      expect(third).toMatchObject({ branch: BRANCH, head: work });
    });
  });

  it("refuses a dirty checkout, naming it, and changes no file or ref", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const bare = await sb.bareOrigin(repo);
      const checkout = await sb.cloneRepo(bare, "checkout");
      await writeFile(join(checkout, "notes.txt"), "mine\n");
      const refs = await sb.refs(checkout);
      const error = await prepareWorktree({ repo: checkout, issue: 7, title: "x", inPlace: true }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toContain(`the checkout ${await realpath(checkout)} has uncommitted`);
      expect((error as Error).message).toContain("nothing was changed");
      expect(await sb.refs(checkout)).toBe(refs);
      expect(await sb.git(checkout, "symbolic-ref", "--short", "HEAD")).toBe("main");
      expect(await readFile(join(checkout, "notes.txt"), "utf8")).toBe("mine\n");
    });
  });

  it("cleanrun's reset detaches a clean checkout left on the issue branch, keeping its tip in a backup ref", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const bare = await sb.bareOrigin(repo);
      const checkout = await sb.cloneRepo(bare, "checkout");
      await prepareWorktree({ repo: checkout, issue: 7, title: "Add a feature", inPlace: true });
      const tip = await sb.commitFile(checkout, "feature.txt", "work\n");

      const { backupRefs } = await resetIssue({ repo: checkout, issue: 7 });
      expect(backupRefs).toHaveLength(1);
      expect(await sb.git(checkout, "rev-parse", backupRefs[0]!)).toBe(tip);
      expect(await sb.git(checkout, "branch", "--list", BRANCH)).toBe("");
      // Detached at the same commit: the files the checkout had are still there.
      expect(await sb.git(checkout, "rev-parse", "HEAD")).toBe(tip);
      expect(await readFile(join(checkout, "feature.txt"), "utf8")).toBe("work\n");
    });
  });

  it("cleanrun's reset refuses a dirty checkout on the issue branch before writing any ref", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const bare = await sb.bareOrigin(repo);
      const checkout = await sb.cloneRepo(bare, "checkout");
      await prepareWorktree({ repo: checkout, issue: 7, title: "Add a feature", inPlace: true });
      await writeFile(join(checkout, "notes.txt"), "mine\n");
      const refs = await sb.refs(checkout);

      const error = await resetIssue({ repo: checkout, issue: 7 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toContain(`has ${BRANCH} checked out with uncommitted changes`);
      expect((error as Error).message).toContain("nothing was removed");
      expect(await sb.refs(checkout)).toBe(refs);
      expect(await sb.git(checkout, "symbolic-ref", "--short", "HEAD")).toBe(BRANCH);
      expect(await readFile(join(checkout, "notes.txt"), "utf8")).toBe("mine\n");
    });
  });
});
