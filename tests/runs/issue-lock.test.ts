import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { type GitSandbox, withGitSandbox } from "../helpers/git.js";
import { commandAgent, issueFile, setupRepo, spawnCli } from "./cli-fixtures.js";

// Writes half a file, works for 3 s, then finishes it: a second run in the same worktree would commit
// the half-written file.
const SLOW =
  "const fs=require('fs');fs.writeFileSync('out.txt','half');setTimeout(()=>fs.writeFileSync('out.txt','whole\\n'),3000)";
const RUN = ["run", "--issue", "7", "--agent", "slow", "--json"];
const BUSY =
  /^handoff: issue 7 is already being worked on by another handoff run \(pid \d+ on .+, since .+\); wait for it to finish or stop it \(lock: .+issue-7\.lock\)\n$/;

async function slowRepo(sb: GitSandbox): Promise<string> {
  return setupRepo(sb, { ...commandAgent("slow", SLOW), ...issueFile(7, "Slow") });
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await sleep(50);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe("one run per issue at a time (issue 13 §5)", () => {
  it("a second run started while the first works refuses at once with exit 3, and the first finishes whole", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await slowRepo(sb);
      const first = spawnCli(RUN, repo);
      const half = join(repo, ".worktrees", "issue-7", "out.txt");
      await waitFor(() => existsSync(half), "the first run's agent");
      const second = await runCli(RUN, { cwd: repo });
      expect([second.code, second.stderr, second.stdout]).toEqual([3, expect.stringMatching(BUSY), ""]);
      const done = await first.done;
      expect(done.code).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({ end_reason: "done" });
      expect(await sb.git(repo, "show", "handoff/issue-7-slow:out.txt")).toBe("whole");
      // The lock went with the run: the next run goes ahead.
      expect((await runCli(RUN, { cwd: repo })).code).toBe(0);
    });
  }, 60_000);

  it("of two runs started at the same instant, one runs and the other refuses cleanly", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await slowRepo(sb);
      const [a, b] = await Promise.all([spawnCli(RUN, repo).done, spawnCli(RUN, repo).done]);
      const results = [a, b].sort((x, y) => (x.code ?? 0) - (y.code ?? 0));
      expect(results.map((r) => r.code)).toEqual([0, 3]);
      expect(results[1]!.stderr).toMatch(BUSY);
      expect(JSON.parse(results[0]!.stdout)).toMatchObject({ end_reason: "done" });
    });
  }, 60_000);

  it("a lock left by a process that is gone is taken over", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await slowRepo(sb);
      const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
      const locks = join(repo, ".git", "handoff", "locks");
      await mkdir(locks, { recursive: true });
      await writeFile(join(locks, "issue-7.lock"), `${dead} ${hostname()} 2026-01-01T00:00:00.000Z 00\n`);
      const run = await runCli(RUN, { cwd: repo });
      expect([run.code, run.stderr]).toEqual([0, ""]);
      expect(existsSync(join(locks, "issue-7.lock"))).toBe(false);
    });
  }, 60_000);
});
