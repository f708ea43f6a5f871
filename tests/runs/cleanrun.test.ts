import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";
import { commandAgent, issueFile, setupRepo } from "./cli-fixtures.js";

const WRITE = "require('fs').writeFileSync('out.txt', 'job ' + process.argv[2] + '\\n')";

describe("cleanrun keeps uncommitted work and checks every option first (issue 13 §1)", () => {
  it("a bad option removes nothing; a good cleanrun keeps the edits and untracked files on a backup ref", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, { ...commandAgent("writer", WRITE), ...issueFile(7, "Write it") });
      const run = ["--issue", "7", "--agent", "writer"];
      expect((await runCli(["run", ...run], { cwd: repo })).code).toBe(0);
      const wt = join(repo, ".worktrees", "issue-7");
      const branch = "handoff/issue-7-write-it";
      const tip = await sb.head(repo, branch);
      // The user works in the issue's worktree and does not commit.
      await writeFile(join(wt, "out.txt"), "edited by hand\n");
      await writeFile(join(wt, "notes.txt"), "my untracked notes\n");
      const before = await sb.refs(repo);

      for (const [args, code, message] of [
        [["--playbook", join(sb.root, "nope.yml")], 2, /nope\.yml: cannot read/],
        [["--policy", join(sb.root, "nope.yml")], 2, /nope\.yml: cannot read/],
        [["--base", "no-such-branch"], 4, /--base no-such-branch: no such branch/],
      ] as const) {
        const bad = await runCli(["cleanrun", ...run, ...args], { cwd: repo });
        expect([bad.code, bad.stderr], args.join(" ")).toEqual([code, expect.stringMatching(message)]);
        expect(await sb.refs(repo)).toBe(before);
        expect(await readFile(join(wt, "notes.txt"), "utf8")).toBe("my untracked notes\n");
        expect(await readFile(join(wt, "out.txt"), "utf8")).toBe("edited by hand\n");
      }

      const clean = await runCli(["cleanrun", ...run, "--json"], { cwd: repo });
      expect(clean.code).toBe(0);
      const out = JSON.parse(clean.stdout) as { end_reason: string; backup_refs: string[] };
      expect(out.end_reason).toBe("done");
      expect(out.backup_refs).toHaveLength(1);
      const [backup] = out.backup_refs;
      expect(backup).toMatch(new RegExp(`^refs/handoff/backup/${branch}/\\d{8}T\\d{9}Z$`));
      // The WIP commit holds the edit and the untracked file, on top of the old tip.
      expect(await sb.git(repo, "show", `${backup}:notes.txt`)).toBe("my untracked notes");
      expect(await sb.git(repo, "show", `${backup}:out.txt`)).toBe("edited by hand");
      expect(await sb.git(repo, "rev-parse", `${backup}^`)).toBe(tip);
      // And the run started fresh.
      expect(await readFile(join(wt, "out.txt"), "utf8")).toBe("job 7\n");
    });
  });

  it("refuses a folder in the worktree's place that is not a worktree, removing nothing", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, { ...commandAgent("writer", WRITE), ...issueFile(8, "Eight") });
      await sb.writeFile(repo, ".worktrees/issue-8/precious.txt", "not a worktree\n");
      const clean = await runCli(["cleanrun", "--issue", "8", "--agent", "writer"], { cwd: repo });
      expect([clean.code, clean.stderr]).toEqual([
        3,
        expect.stringContaining("is not a worktree of this repository"),
      ]);
      expect(await readFile(join(repo, ".worktrees/issue-8/precious.txt"), "utf8")).toBe("not a worktree\n");
    });
  });
});
