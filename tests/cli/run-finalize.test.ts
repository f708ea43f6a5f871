import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";
import { commandAgent, issueFile, setupRepo } from "../runs/cli-fixtures.js";

const WRITE = "require('fs').writeFileSync('out.txt', 'job ' + process.argv[2] + '\\n')";

describe("finalize", () => {
  it("--create-pr --push pushes the issue branch and records the PR request; a rerun continues the branch", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, { ...commandAgent("coder", WRITE), ...issueFile(31, "Ship it") });
      const origin = await sb.bareOrigin(repo);
      const result = await runCli(
        [
          "run",
          "--issue",
          "31",
          "--agent",
          "coder",
          "--create-pr",
          "--push",
          "--pr-target",
          "main",
          "--json",
        ],
        { cwd: repo },
      );
      expect(result.code).toBe(0);
      const out = JSON.parse(result.stdout) as { pushed: string[]; ledger: string; branch: string };
      expect(out.pushed).toEqual(["handoff/issue-31-ship-it"]);
      expect(await sb.git(origin, "rev-parse", "refs/heads/handoff/issue-31-ship-it")).toBe(
        await sb.head(repo, "handoff/issue-31-ship-it"),
      );
      const pr = JSON.parse((await runCli(["pr", "show", "32", "--json"], { cwd: repo })).stdout) as Record<
        string,
        unknown
      >;
      expect(pr).toMatchObject({ number: 32, head: "handoff/issue-31-ship-it", base: "main", state: "open" });
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
      const ledger = await readFile(out.ledger, "utf8");
      expect(ledger).toContain('"kind":"push"');
      // A rerun continues the same branch and updates the same pull request: no second one.
      const again = await runCli(["run", "--issue", "31", "--agent", "coder", "--create-pr", "--json"], {
        cwd: repo,
      });
      expect(again.code).toBe(0);
      expect((JSON.parse(again.stdout) as { pull_request: unknown }).pull_request).toMatchObject({
        number: 32,
        created: false,
      });
      expect((await runCli(["pr", "list"], { cwd: repo })).stdout.trim().split("\n")).toHaveLength(1);
      expect((JSON.parse(again.stdout) as { branch: string }).branch).toBe("handoff/issue-31-ship-it");
    });
  });

  it("an integrator's autoMerge + push merges into the base and pushes the base", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent("integrator", WRITE, {
          role: "integrator",
          finalize: { autoMerge: true, push: true, remote: "origin", createPr: false },
        }),
        ...issueFile(32, "Integrate"),
      });
      const origin = await sb.bareOrigin(repo);
      const result = await runCli(["run", "--issue", "32", "--agent", "integrator", "--json"], { cwd: repo });
      expect(result.code).toBe(0);
      expect((JSON.parse(result.stdout) as { pushed: string[] }).pushed).toEqual(["main"]);
      expect(await sb.git(origin, "log", "-1", "--format=%s", "main")).toBe(
        "Merge handoff/issue-32-integrate into main",
      );
    });
  });

  it("a coder with autoMerge and --push merges locally but pushes only its own branch", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent("coder", WRITE, {
          finalize: { autoMerge: true, push: false, remote: "origin", createPr: false },
        }),
        ...issueFile(33, "Local merge"),
      });
      const origin = await sb.bareOrigin(repo);
      const mainBefore = await sb.git(origin, "rev-parse", "main");
      const result = await runCli(["run", "--issue", "33", "--agent", "coder", "--push", "--json"], {
        cwd: repo,
      });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout) as { pushed: string[]; merged: boolean }).toMatchObject({
        pushed: ["handoff/issue-33-local-merge"],
        merged: true,
      });
      expect(await sb.git(origin, "rev-parse", "main")).toBe(mainBefore);
      expect(await readFile(join(repo, "out.txt"), "utf8")).toBe("job 33\n");
    });
  });

  it("a dirty base worktree makes the merge fail as fatal_error, with the work kept on the branch", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent("coder", WRITE, {
          finalize: { autoMerge: true, push: false, remote: "origin", createPr: false },
        }),
        ...issueFile(34, "Dirty base"),
      });
      await sb.writeFile(repo, "README.md", "local edit\n");
      const result = await runCli(["run", "--issue", "34", "--agent", "coder", "--json"], { cwd: repo });
      expect(result.code).toBe(1);
      const out = JSON.parse(result.stdout) as { end_reason: string; message: string };
      expect(out.end_reason).toBe("fatal_error");
      expect(out.message).toContain("has uncommitted changes");
      expect(await sb.git(repo, "show", "handoff/issue-34-dirty-base:out.txt")).toBe("job 34");
      expect(await readFile(join(repo, "README.md"), "utf8")).toBe("local edit\n");
    });
  });
});
