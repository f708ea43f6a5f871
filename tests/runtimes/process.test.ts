import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAgent } from "../../src/runtimes/index.js";
import { buildChildEnv, invalidEnvNames, passedSecrets } from "../../src/runtimes/env.js";
import { withTempDir } from "../helpers/temp.js";

const node = process.execPath;

/** Running (a zombie waiting for a reaper that never comes, as in some containers, counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("command adapter and the process runner", () => {
  it("expands {prompt_file} {worktree} {issue} without a shell", async () => {
    await withTempDir(async (dir) => {
      const promptFile = join(dir, "prompt.md");
      await writeFile(promptFile, "do $(touch pwned) things");
      const report = await runAgent({
        runtime: {
          adapter: "command",
          command: node,
          args: [
            "-e",
            "const fs=require('fs');console.log(JSON.stringify(process.argv.slice(1)));console.log(fs.readFileSync(process.argv[1],'utf8'))",
            "{prompt_file}",
            "wt={worktree};issue={issue}",
          ],
        },
        prompt: "do $(touch pwned) things",
        promptFile,
        worktree: dir,
        issue: "42; rm -rf /",
        sourceEnv: process.env,
      });
      expect(report.exitCode).toBe(0);
      expect(report.outputTail).toContain(JSON.stringify([promptFile, `wt=${dir};issue=42; rm -rf /`]));
      expect(report.resultText).toBe("do $(touch pwned) things");
      await expect(readFile(join(dir, "pwned"))).rejects.toThrow();
    });
  });

  it("passes only the base variables and the names the runtime lists", async () => {
    await withTempDir(async (dir) => {
      const report = await runAgent({
        runtime: {
          adapter: "command",
          command: node,
          args: ["-e", "console.log(JSON.stringify(process.env))"],
          env: ["WANTED_TOKEN"],
        },
        prompt: "",
        promptFile: join(dir, "p"),
        worktree: dir,
        issue: "1",
        sourceEnv: {
          PATH: process.env.PATH,
          HOME: dir,
          WANTED_TOKEN: "w-123",
          GITHUB_TOKEN: "ghp_secret",
          AWS_SECRET_ACCESS_KEY: "x",
        },
      });
      const env = JSON.parse(report.resultText ?? "{}") as Record<string, string>;
      expect(env.WANTED_TOKEN).toBe("w-123");
      expect(env.GITHUB_TOKEN).toBeUndefined();
      expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
      expect(env.HANDOFF_ISSUE).toBe("1");
    });
  });

  it("reports a non-zero exit as an error with the code", async () => {
    await withTempDir(async (dir) => {
      const report = await runAgent({
        runtime: { adapter: "command", command: node, args: ["-e", "process.exit(3)"] },
        prompt: "",
        promptFile: join(dir, "p"),
        worktree: dir,
        issue: "1",
        sourceEnv: process.env,
      });
      expect(report.isError).toBe(true);
      expect(report.exitCode).toBe(3);
      expect(report.errorMessage).toContain("exited with code 3");
    });
  });

  it("kills the whole process tree on timeout, grandchildren included", async () => {
    await withTempDir(async (dir) => {
      const pidFile = join(dir, "grandchild.pid");
      const script = `const {spawn}=require('child_process');const c=spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});require('fs').writeFileSync(${JSON.stringify(pidFile)},String(c.pid));setInterval(()=>{},1000);`;
      const report = await runAgent(
        {
          runtime: { adapter: "command", command: node, args: ["-e", script] },
          prompt: "",
          promptFile: join(dir, "p"),
          worktree: dir,
          issue: "1",
          sourceEnv: process.env,
        },
        { timeoutMs: 1_500, killGraceMs: 500 },
      );
      expect(report.killed).toBe("timeout");
      expect(report.signal).toBe("SIGTERM");
      const grandchild = Number(await readFile(pidFile, "utf8"));
      await new Promise((r) => setTimeout(r, 200));
      expect(alive(grandchild)).toBe(false);
    });
  });

  it("stops the tree when the abort signal fires", async () => {
    await withTempDir(async (dir) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const report = await runAgent(
        {
          runtime: { adapter: "command", command: node, args: ["-e", "setInterval(()=>{},1000)"] },
          prompt: "",
          promptFile: join(dir, "p"),
          worktree: dir,
          issue: "1",
          sourceEnv: process.env,
        },
        { signal: controller.signal },
      );
      expect(report.killed).toBe("stopped");
      expect(report.isError).toBe(true);
    });
  });

  it("measures peak RSS and CPU time of the tree, grandchildren included", async () => {
    await withTempDir(async (dir) => {
      // The grandchild holds ~150 MB and burns CPU; the child itself is idle.
      const burner =
        // It burns until it has used 1.2 s of CPU time (not of wall time), so a busy machine slows it
        // down instead of making it use less CPU than the assertion needs.
        "const b=Buffer.alloc(150*1024*1024,1);let x=0;const s=process.cpuUsage();for(let i=1;;i++){x+=b[x%b.length];if(i%65536===0){const u=process.cpuUsage(s);if(u.user+u.system>=1.2e6)break}}";
      const script = `require('child_process').spawnSync(process.execPath,['-e',${JSON.stringify(burner)}],{stdio:'inherit'})`;
      const report = await runAgent({
        runtime: { adapter: "command", command: node, args: ["-e", script] },
        prompt: "",
        promptFile: join(dir, "p"),
        worktree: dir,
        issue: "1",
        sourceEnv: process.env,
      });
      expect(report.exitCode).toBe(0);
      expect(report.metrics.durationMs).toBeGreaterThan(1_000);
      expect(report.metrics.peakRssBytes).toBeGreaterThan(150 * 1024 * 1024);
      expect(report.metrics.cpuMs).toBeGreaterThan(900);
      expect(report.metrics.samples).toBeGreaterThan(3);
    });
  });

  it("runs a tty runtime under a pseudo-terminal", async () => {
    await withTempDir(async (dir) => {
      const report = await runAgent({
        runtime: {
          adapter: "command",
          command: node,
          args: ["-e", "console.log('isatty=' + process.stdout.isTTY); process.exit(4)"],
          tty: true,
        },
        prompt: "",
        promptFile: join(dir, "p"),
        worktree: dir,
        issue: "1",
        sourceEnv: process.env,
      });
      expect(report.outputTail).toContain("isatty=true");
      expect(report.exitCode).toBe(4);
    });
  });

  it("refuses a command runtime without a command", async () => {
    await expect(
      runAgent({
        runtime: { adapter: "command" },
        prompt: "",
        promptFile: "/p",
        worktree: "/",
        issue: "1",
        sourceEnv: {},
      }),
    ).rejects.toThrow(/runtime\.command/);
  });
});

describe("child environment", () => {
  it("keeps base names, listed names and adapter extras; nothing else", () => {
    const env = buildChildEnv({ PATH: "/bin", SECRET: "s", LISTED: "l" }, ["LISTED", "MISSING"], {
      EXTRA: "e",
    });
    expect(env).toEqual({ PATH: "/bin", LISTED: "l", EXTRA: "e" });
  });
  it("finds values to redact and bad names", () => {
    expect(passedSecrets({ PATH: "/bin", TOKEN: "abcd1234" }, ["PATH", "TOKEN"])).toEqual(["abcd1234"]);
    expect(invalidEnvNames(["GOOD_1", "ghp_abc=1", "1BAD"])).toEqual(["ghp_abc=1", "1BAD"]);
  });
});
