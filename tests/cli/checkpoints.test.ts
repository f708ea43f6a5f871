import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { type GitSandbox, withGitSandbox } from "../helpers/git.js";

const BRANCH = "handoff/issue-4-fix-login";

/** A repo with origin and the issue branch checked out in a worktree-free clone, pushed. */
async function issueRepo(sb: GitSandbox) {
  const repo = await sb.createRepo("repo");
  const bare = await sb.bareOrigin(repo);
  await sb.git(repo, "checkout", "--quiet", "-b", BRANCH);
  await sb.git(repo, "push", "--quiet", "--set-upstream", "origin", BRANCH);
  return { repo, bare };
}

const PASSING = "name: after-rollback\nsteps:\n  - name: login untouched\n    command: test ! -e login.ts\n";
const FAILING = "name: after-rollback\nsteps:\n  - name: login present\n    command: test -e login.ts\n";

describe("handoff checkpoint", () => {
  it("tags HEAD under a name and prints `checkpoint <sha> <tag>`", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const result = await runCli(["checkpoint", "--name", "S4_before_big_change"], { cwd: repo });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const sha = await sb.head(repo);
      expect(result.stdout).toBe(`checkpoint ${sha} handoff/checkpoint/manual/S4_before_big_change\n`);
      expect(await sb.git(repo, "cat-file", "-t", "handoff/checkpoint/manual/S4_before_big_change")).toBe(
        "tag",
      );
    });
  });

  it("numbers checkpoints of an issue branch and prints JSON with --json", async () => {
    await withGitSandbox(async (sb) => {
      const { repo } = await issueRepo(sb);
      await sb.writeFile(repo, "wip.txt", "not committed");
      const result = await runCli(["checkpoint", "--json", "--note", "before the refactor"], { cwd: repo });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/uncommitted changes are not part of the checkpoint/);
      const json = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(json).toMatchObject({ tag: "handoff/checkpoint/4/1", sha: await sb.head(repo), dirty: true });
      expect(json.metadata).toMatchObject({ kind: "manual", issue: "4", number: 1, branch: BRANCH });
      expect(json.message).toContain("before the refactor");
    });
  });

  it("lists checkpoints with `handoff checkpoints`", async () => {
    await withGitSandbox(async (sb) => {
      const { repo } = await issueRepo(sb);
      await runCli(["checkpoint"], { cwd: repo });
      await sb.commitFile(repo, "b.txt", "b");
      await runCli(["checkpoint", "--name", "named"], { cwd: repo });
      const text = await runCli(["checkpoints", "--issue", "4"], { cwd: repo });
      expect(text.code).toBe(0);
      expect(
        text.stdout
          .trim()
          .split("\n")
          .map((l) => l.split(" ")[0]),
      ).toEqual(["handoff/checkpoint/4/1", "handoff/checkpoint/manual/named"]);
      // main has the first commit only, so only the first checkpoint is reachable from it.
      const json = JSON.parse(
        (await runCli(["checkpoints", "--json", "--branch", "main"], { cwd: repo })).stdout,
      ) as {
        tag: string;
        metadata: { number?: number };
      }[];
      expect(json.map((c) => [c.tag, c.metadata.number])).toEqual([["handoff/checkpoint/4/1", 1]]);
    });
  });

  it("rejects an invalid name with exit 2 and creates nothing", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const before = await sb.refs(repo);
      const result = await runCli(["checkpoint", "--name", "bad..name"], { cwd: repo });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^handoff: invalid checkpoint name "bad\.\.name": .*check-ref-format/);
      expect(await sb.refs(repo)).toBe(before);
    });
  });
});

describe("handoff rollback", () => {
  it("returns to the last checkpoint, pushes, runs the test playbook and prints `rollback <sha>`", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, bare } = await issueRepo(sb);
      const checkpoint = (await runCli(["checkpoint"], { cwd: repo })).stdout.split(" ")[1]!;
      await sb.commitFile(repo, "login.ts", "broken\n");
      await sb.git(repo, "push", "--quiet");
      await sb.writeFile(sb.root, "pass.yml", PASSING);
      const result = await runCli(["rollback", "--playbook", join(sb.root, "pass.yml")], { cwd: repo });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split("\n");
      expect(lines[0]).toBe(`rollback ${checkpoint}`);
      expect(lines[1]).toMatch(new RegExp(`^backup refs/handoff/backup/${BRANCH}/\\d{8}T\\d{9}Z$`));
      expect(lines).toContain("test passed login untouched");
      expect(lines.at(-1)).toBe("tests passed");
      expect(await sb.head(bare, BRANCH)).toBe(checkpoint);
      expect(existsSync(join(repo, "login.ts"))).toBe(false);
    });
  });

  it("exits 1 when the tests fail after the rollback (the rollback itself stays)", async () => {
    await withGitSandbox(async (sb) => {
      const { repo } = await issueRepo(sb);
      const target = await sb.head(repo);
      await sb.commitFile(repo, "login.ts", "broken\n");
      await sb.writeFile(repo, ".handoff/playbook.yml", FAILING);
      await sb.git(repo, "add", ".handoff");
      await sb.git(repo, "commit", "--quiet", "-m", "Add playbook");
      // The target has no playbook of its own: pass the file explicitly, from outside the tree.
      await sb.writeFile(sb.root, "fail.yml", FAILING);
      const result = await runCli(
        ["rollback", "--to", target, "--playbook", join(sb.root, "fail.yml"), "--json"],
        {
          cwd: repo,
        },
      );
      expect(result.code).toBe(1);
      const json = JSON.parse(result.stdout) as {
        sha: string;
        tests: { ok: boolean; steps: { status: string }[] };
      };
      expect(json.sha).toBe(target);
      expect(json.tests.ok).toBe(false);
      expect(json.tests.steps[0]?.status).toBe("failed");
      expect(await sb.head(repo)).toBe(target);
    });
  });

  it("finds the test playbook in the rolled-back tree by default", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo", { files: { ".handoff/playbook.yml": PASSING } });
      await sb.git(repo, "checkout", "--quiet", "-b", "feature");
      const target = await sb.head(repo);
      await sb.commitFile(repo, "login.ts", "x");
      const result = await runCli(["rollback", "--to", target], { cwd: repo });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("test passed login untouched\ntests passed\n");
    });
  });

  it("refuses reset on the default branch with exit 3", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const target = await sb.head(repo);
      await sb.commitFile(repo, "x.txt", "x");
      const before = await sb.refs(repo);
      const result = await runCli(["rollback", "--to", target, "--no-test"], { cwd: repo });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^handoff: refusing to reset main: .*use --strategy revert/);
      expect(await sb.refs(repo)).toBe(before);
      const revert = await runCli(["rollback", "--to", target, "--strategy", "revert", "--no-test"], {
        cwd: repo,
      });
      expect(revert.code).toBe(0);
      expect(revert.stdout).toMatch(/^rollback [0-9a-f]{40}\n/);
    });
  });

  it("refuses a dirty tree with exit 3, leaving every ref intact", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, bare } = await issueRepo(sb);
      const target = await sb.head(repo);
      await sb.commitFile(repo, "a.txt", "a");
      await sb.writeFile(repo, "a.txt", "changed");
      const before = await sb.refs(repo);
      const remoteBefore = await sb.refs(bare);
      const result = await runCli(["rollback", "--to", target], { cwd: repo });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/uncommitted changes .*nothing was changed/);
      expect(await sb.refs(repo)).toBe(before);
      expect(await sb.refs(bare)).toBe(remoteBefore);
    });
  });

  it("says no checkpoint is recorded (exit 4) when --to is missing", async () => {
    await withGitSandbox(async (sb) => {
      const { repo } = await issueRepo(sb);
      const result = await runCli(["rollback", "--no-test"], { cwd: repo });
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/no checkpoint recorded for handoff\/issue-4-fix-login/);
    });
  });
});
