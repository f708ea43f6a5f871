import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";
import { commandAgent, issueFile, playbookFile, setupRepo, spawnCli } from "./cli-fixtures.js";

const SLEEPER =
  "require('fs').writeFileSync('wip.txt','wip\\n'); console.log('ready'); setInterval(Date.now, 1000)";

async function waitForFile(file: string): Promise<void> {
  for (let i = 0; i < 600 && !existsSync(file); i++) await sleep(50);
  if (!existsSync(file)) throw new Error(`timed out waiting for ${file}`);
}

describe("signals during a run (issue 13 §9, §16)", () => {
  it("a second SIGTERM 20 ms after the first: the wrap-up still commits the WIP and writes the summary", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, { ...commandAgent("sleeper", SLEEPER), ...issueFile(14, "Sleep") });
      const summaryFile = join(sb.root, "s.json");
      const child = spawnCli(
        ["run", "--issue", "14", "--agent", "sleeper", "--summary-file", summaryFile],
        repo,
      );
      await waitForFile(join(repo, ".worktrees", "issue-14", "wip.txt"));
      await sleep(200);
      process.kill(child.pid, "SIGTERM");
      await sleep(20);
      process.kill(child.pid, "SIGTERM");
      const done = await child.done;
      expect([done.code, done.signal]).toEqual([130, null]);
      expect(done.stderr).toContain("SIGTERM again: still wrapping up");
      expect(JSON.parse(await readFile(summaryFile, "utf8"))).toMatchObject({ end_reason: "stopped" });
      expect(await sb.git(repo, "log", "-1", "--format=%s", "handoff/issue-14-sleep")).toContain("WIP");
      expect(await sb.git(repo, "show", "handoff/issue-14-sleep:wip.txt")).toBe("wip");
      expect(await sb.git(join(repo, ".worktrees", "issue-14"), "status", "--porcelain")).toBe("");
    });
  }, 60_000);

  it("SIGTERM during the playbook is reported as such", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent("quick", "require('fs').writeFileSync('out.txt','x\\n')"),
        ...issueFile(15, "Quick"),
        ...playbookFile("require('fs').writeFileSync('pb.txt','');setTimeout(Date.now,20000)"),
      });
      const summaryFile = join(sb.root, "s.json");
      const child = spawnCli(
        ["run", "--issue", "15", "--agent", "quick", "--summary-file", summaryFile],
        repo,
      );
      await waitForFile(join(repo, ".worktrees", "issue-15", "pb.txt"));
      process.kill(child.pid, "SIGTERM");
      const done = await child.done;
      expect(done.code).toBe(130);
      const summary = JSON.parse(await readFile(summaryFile, "utf8")) as {
        end_reason: string;
        message?: string;
      };
      expect(summary.end_reason).toBe("stopped");
      expect(done.stdout).toContain("stopped by a signal while the playbook was running");
    });
  }, 60_000);

  it("a run on a dirty worktree is refused as a conflict (exit 3), changing nothing", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent("writer", "require('fs').writeFileSync('out.txt','x\\n')"),
        ...issueFile(16, "Dirty"),
      });
      expect((await runCli(["run", "--issue", "16", "--agent", "writer"], { cwd: repo })).code).toBe(0);
      await writeFile(join(repo, ".worktrees", "issue-16", "mine.txt"), "uncommitted\n");
      const before = await sb.refs(repo);
      const again = await runCli(["run", "--issue", "16", "--agent", "writer"], { cwd: repo });
      expect([again.code, again.stderr]).toEqual([
        3,
        expect.stringMatching(/^handoff: worktree .*issue-16 has uncommitted changes; .*nothing was changed/),
      ]);
      expect(await sb.refs(repo)).toBe(before);
    });
  }, 60_000);
});
