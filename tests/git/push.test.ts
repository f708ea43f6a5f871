import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConflictError } from "../../src/errors.js";
import { Git, GitCommandError } from "../../src/git/git.js";
import { pushBranch } from "../../src/git/push.js";
import { Redactor } from "../../src/redaction/index.js";
import { withGitSandbox } from "../helpers/git.js";

/** No registered secret: these pushes carry none, and token shapes are still looked for. */
const secrets = new Redactor();

describe("pushBranch", () => {
  it("pushes and sets the upstream", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const bare = await sb.bareOrigin(repo);
      await sb.git(repo, "checkout", "--quiet", "-b", "feature");
      const sha = await sb.commitFile(repo, "f.txt", "f");
      const result = await pushBranch(new Git(repo), { secrets, remote: "origin", branch: "feature" });
      expect(result).toMatchObject({ sha, attempts: 1, leased: false });
      expect(await sb.head(bare, "feature")).toBe(sha);
      expect(await sb.git(repo, "rev-parse", "--abbrev-ref", "feature@{upstream}")).toBe("origin/feature");
    });
  });

  it("retries with backoff when the remote is not reachable yet", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const late = join(sb.root, "late.git");
      await sb.git(repo, "remote", "add", "origin", late);
      const delays: number[] = [];
      const result = await pushBranch(new Git(repo), {
        secrets,
        remote: "origin",
        branch: "main",
        baseDelayMs: 10,
        onRetry: ({ delayMs, error }) => {
          delays.push(delayMs);
          expect(error.message).toMatch(/does not appear to be a git repository/);
          // The remote appears only after the second failure.
          if (delays.length === 2)
            return sb.git(sb.root, "init", "--quiet", "--bare", late).then(() => undefined);
        },
      });
      expect(result.attempts).toBeGreaterThanOrEqual(3);
      expect(delays.slice(0, 2)).toEqual([10, 20]);
      expect(await sb.head(late, "main")).toBe(await sb.head(repo));
    });
  });

  it("gives up after the last attempt with git's error", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      await sb.git(repo, "remote", "add", "origin", join(sb.root, "never.git"));
      const error = await pushBranch(new Git(repo), {
        secrets,
        remote: "origin",
        branch: "main",
        attempts: 2,
        baseDelayMs: 1,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitCommandError);
      expect((error as Error).message).toMatch(/^git push failed: .*does not appear to be a git repository/);
    });
  });

  it("does not retry a rejection by the remote's hook", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const bare = await sb.bareOrigin(repo);
      const counter = join(sb.root, "hook-calls");
      await writeFile(counter, "");
      const hook = join(bare, "hooks", "pre-receive");
      await writeFile(hook, `#!/bin/sh\necho call >> '${counter}'\necho 'protected branch' >&2\nexit 1\n`);
      await chmod(hook, 0o755);
      await sb.commitFile(repo, "x.txt", "x");
      const error = await pushBranch(new Git(repo), {
        secrets,
        remote: "origin",
        branch: "main",
        baseDelayMs: 1,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toMatch(/refused by the remote: .*pre-receive hook declined/);
      expect((await readFile(counter, "utf8")).trim().split("\n")).toHaveLength(1);
    });
  });

  it("replaces the remote branch only through a lease, and reports a lost lease as the remote having moved", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const bare = await sb.bareOrigin(repo);
      const base = await sb.head(repo);
      await sb.commitFile(repo, "a.txt", "a");
      await sb.git(repo, "push", "--quiet", "origin", "main");
      const seen = await sb.head(repo);
      await sb.git(repo, "reset", "--quiet", "--hard", base);

      // Another clone pushes between Handoff's look and its push.
      const other = await sb.cloneRepo(bare, "other");
      const theirs = await sb.commitFile(other, "b.txt", "b");
      await sb.git(other, "push", "--quiet", "origin", "main");
      const error = await pushBranch(new Git(repo), {
        secrets,
        remote: "origin",
        branch: "main",
        expectedSha: seen,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toMatch(/remote branch moved since Handoff saw it at .*lease lost/);
      expect(await sb.head(bare, "main")).toBe(theirs);

      // With the sha actually on the remote, the lease holds and the rewind goes through.
      const ok = await pushBranch(new Git(repo), {
        secrets,
        remote: "origin",
        branch: "main",
        expectedSha: theirs,
      });
      expect(ok.leased).toBe(true);
      expect(await sb.head(bare, "main")).toBe(base);
    });
  });

  it("refuses a non-fast-forward push without a lease", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const bare = await sb.bareOrigin(repo);
      const other = await sb.cloneRepo(bare, "other");
      const theirs = await sb.commitFile(other, "b.txt", "b");
      await sb.git(other, "push", "--quiet", "origin", "main");
      await sb.commitFile(repo, "a.txt", "a");
      await expect(pushBranch(new Git(repo), { secrets, remote: "origin", branch: "main" })).rejects.toThrow(
        /commits that the local branch does not have/,
      );
      expect(await sb.head(bare, "main")).toBe(theirs);
    });
  });
});
