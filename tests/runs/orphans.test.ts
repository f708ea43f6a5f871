import { existsSync, readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { type GitSandbox, withGitSandbox } from "../helpers/git.js";
import { TEST_POLICY, commandAgent, issueFile, setupRepo, spawnCli } from "./cli-fixtures.js";

/**
 * An agent that writes its pid (its process group: the runner makes it a group leader), starts a
 * grandchild ticking into the worktree, and works for two minutes — unless the marker file exists.
 */
function agentScript(marker: string): string {
  return [
    "const fs=require('fs'),cp=require('child_process');",
    `if(fs.existsSync(${JSON.stringify(marker)}))process.exit(0);`,
    "fs.writeFileSync('pgid.txt',String(process.pid));",
    // No braces: agent.json reads {…} as placeholders.
    "cp.spawn(process.execPath,['-e',\"setInterval(()=>require('fs').appendFileSync('tick.txt','t'),100)\"],Object.fromEntries([['stdio','ignore']]));",
    "setTimeout(Date.now,120000);",
  ].join("");
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 20; i++) {
    if (check()) return true;
    await sleep(50);
  }
  return check();
}

/** Starts a run, waits until its agent's grandchild ticks, and returns the agent's group and the run. */
async function startTicking(sb: GitSandbox) {
  const marker = join(sb.root, "quick");
  const repo = await setupRepo(sb, {
    ...commandAgent("ticker", agentScript(marker)),
    ...issueFile(7, "Tick"),
    // Outside bubblewrap, so the group the agent records is the host's (a sandbox has its own pid
    // namespace, and bwrap's --die-with-parent already ends a sandboxed agent with Handoff).
    ".handoff/policy.yml": `${TEST_POLICY}sandbox: off\n`,
  });
  const run = spawnCli(["run", "--issue", "7", "--agent", "ticker", "--json"], repo);
  const wt = join(repo, ".worktrees", "issue-7");
  if (!(await until(() => existsSync(join(wt, "tick.txt")), 60))) throw new Error("the agent never ticked");
  const pgid = Number(readFileSync(join(wt, "pgid.txt"), "utf8"));
  return { repo, run, pgid, marker };
}

/** The watchdog of a group: the `sh` whose arguments name it. */
function watchdogOf(pgid: number): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.includes("handoff-watchdog") && args.includes(String(pgid))) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

describe("no agent outlives Handoff (issue 13 §10)", () => {
  it("kill -9 of handoff: the agent's whole process group dies with it", async () => {
    await withGitSandbox(async (sb) => {
      const { run, pgid } = await startTicking(sb);
      try {
        process.kill(run.pid, "SIGKILL");
        await run.done;
        expect(await until(() => !groupAlive(pgid), 15), `group ${pgid} still running`).toBe(true);
      } finally {
        if (groupAlive(pgid)) process.kill(-pgid, "SIGKILL");
      }
    });
  }, 120_000);

  it("when the watchdog died too, the next run on the issue stops the orphaned group first", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, run, pgid, marker } = await startTicking(sb);
      try {
        const dog = watchdogOf(pgid);
        expect(dog, "the group's watchdog").toBeDefined();
        process.kill(dog!, "SIGKILL");
        process.kill(run.pid, "SIGKILL");
        await run.done;
        await sleep(500);
        expect(groupAlive(pgid)).toBe(true);
        await writeFile(marker, "");
        // The killed run left its work uncommitted: cleanrun keeps it on a backup ref and starts over.
        const next = await runCli(["cleanrun", "--issue", "7", "--agent", "ticker", "--json"], { cwd: repo });
        expect([next.code, next.stderr]).toEqual([0, ""]);
        expect(groupAlive(pgid)).toBe(false);
        expect(existsSync(join(repo, ".git", "handoff", "process-groups", "issue-7.json"))).toBe(false);
      } finally {
        if (groupAlive(pgid)) process.kill(-pgid, "SIGKILL");
      }
    });
  }, 120_000);
});
