import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";
import { commandAgent, issueFile, playbookFile, setupRepo, spawnCli } from "../runs/cli-fixtures.js";

const WRITE = "require('fs').writeFileSync('out.txt', 'job ' + process.argv[2] + '\\n')";

async function json(text: string): Promise<Record<string, unknown>> {
  return JSON.parse(text) as Record<string, unknown>;
}

describe("handoff run", () => {
  it("done: summary JSON + TXT, commit and checkpoint on the branch, local PR request", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent(
          "writer",
          "require('fs').writeFileSync('out.txt', require('fs').readFileSync(process.argv[1], 'utf8'))",
        ),
        ...issueFile(7, "Write the output"),
        ...playbookFile("process.exit(require('fs').existsSync('out.txt') ? 0 : 1)"),
      });
      const summaryFile = join(sb.root, "logs", "last_run_summary.json");
      const result = await runCli(
        ["run", "--issue", "7", "--agent", "writer", "--summary-file", summaryFile, "--create-pr", "--json"],
        { cwd: repo },
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const out = await json(result.stdout);
      expect(out).toMatchObject({
        end_reason: "done",
        exit_code: 0,
        branch: "handoff/issue-7-write-the-output",
        iterations: 1,
      });
      const written = await readFile(join(repo, ".worktrees", "issue-7", "out.txt"), "utf8");
      // The prompt carried the system prompt, the issue, its comments.
      expect(written).toContain("You are writer.");
      expect(written).toContain("# Job: issue 7 — Write the output");
      expect(written).toContain("please hurry");
      const summary = await json(await readFile(summaryFile, "utf8"));
      expect(summary).toMatchObject({
        phase: "done",
        done: true,
        step: 1,
        end_reason: "done",
        stop_on_deny: true,
      });
      const txt = await readFile(join(sb.root, "logs", "last_run_summary.txt"), "utf8");
      expect(txt).toMatch(/^phase=done step=1 done=True latest_step=step_001.json step_count=1 /);
      expect(txt).toContain("end_reason=done");
      // The pull request is opened on the local forge (nothing is written into the main tree), and the
      // evidence comment is on the issue and the PR.
      expect(out.pull_request).toMatchObject({ number: 8, created: true });
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
      const pr = await json((await runCli(["pr", "show", "8", "--json"], { cwd: repo })).stdout);
      expect(pr).toMatchObject({ head: "handoff/issue-7-write-the-output", base: "main", state: "open" });
      const marker = "<!-- handoff:evidence issue=7 -->";
      expect((pr.comments as { body: string }[]).map((c) => c.body.split("\n")[0])).toEqual([marker]);
      const issue = await json((await runCli(["issue", "show", "7", "--json"], { cwd: repo })).stdout);
      expect((issue.comments as { body: string }[]).map((c) => c.body.split("\n")[0])).toEqual([
        "please hurry",
        marker,
      ]);
      expect(out.evidence_comments).toMatchObject([
        { target: 7, created: true },
        { target: 8, created: true },
      ]);
      expect(await sb.git(repo, "tag", "-l", "handoff/checkpoint/7/*")).toBe(
        "handoff/checkpoint/7/1\nhandoff/checkpoint/7/2",
      );
      // handoff test verifies the last summary.
      const test = await runCli(["test", "--summary-file", summaryFile], { cwd: repo });
      expect(test.code).toBe(0);
      expect(test.stdout).toContain("done");
    });
  });

  it("autoMerge merges the issue branch into the checked-out base", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent("merger", WRITE, {
          finalize: { autoMerge: true, push: false, remote: "origin", createPr: false },
        }),
        ...issueFile(8, "Merge me"),
      });
      const result = await runCli(["run", "--issue", "8", "--agent", "merger"], { cwd: repo });
      expect(result.code).toBe(0);
      expect(await readFile(join(repo, "out.txt"), "utf8")).toBe("job 8\n");
      expect(await sb.git(repo, "log", "-1", "--format=%s", "main")).toBe(
        "Merge handoff/issue-8-merge-me into main",
      );
    });
  });

  it("--no-merge overrides autoMerge; agent parameters are flags; unknown flags are refused", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent("param", "require('fs').writeFileSync('p.txt', process.env.X || 'none')", {
          runtime: {
            adapter: "command",
            command: "node",
            args: ["-e", "require('fs').writeFileSync('p.txt', process.argv[1])", "{greeting}"],
            env: [],
          },
          parameters: { greeting: { type: "string", required: true, cli: "--greeting" } },
          finalize: { autoMerge: true, push: false, remote: "origin", createPr: false },
        }),
        ...issueFile(9, "Params"),
      });
      const missing = await runCli(["run", "--issue", "9", "--agent", "param", "--no-merge"], { cwd: repo });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("--greeting");
      const unknown = await runCli(
        ["run", "--issue", "9", "--agent", "param", "--greeting", "hi", "--colour", "red"],
        { cwd: repo },
      );
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("--colour");
      const ok = await runCli(
        ["run", "--issue", "9", "--agent", "param", "--greeting", "hi there", "--no-merge"],
        { cwd: repo },
      );
      expect(ok.code).toBe(0);
      expect(await readFile(join(repo, ".worktrees", "issue-9", "p.txt"), "utf8")).toBe("hi there");
      expect(existsSync(join(repo, "p.txt"))).toBe(false);
    });
  });

  it("fatal_error: a failing agent ends the run with its error in the summary", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent("crash", "console.error('boom'); process.exit(3)"),
        ...issueFile(10, "Crash"),
      });
      const result = await runCli(["run", "--issue", "10", "--agent", "crash", "--json"], { cwd: repo });
      expect(result.code).toBe(1);
      const out = await json(result.stdout);
      expect(out.end_reason).toBe("fatal_error");
      expect(String(out.message)).toContain("exited with code 3");
      expect(out.summary).toMatchObject({ fatal_error_count: 1, fatal_error_steps: [1], done: false });
    });
  });

  it("deny: the policy refuses the command agent's script (stop_on_deny)", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent("sh", "", {
          runtime: { adapter: "command", command: "sh", args: ["-c", "{script}"], env: [] },
          parameters: { script: { type: "string", required: true } },
        }),
        ...issueFile(11, "Deny"),
        ".handoff/policy.yml": "default_action: deny\nallow:\n  - program: echo\n",
      });
      const result = await runCli(
        ["run", "--issue", "11", "--agent", "sh", "--script", "rm -rf out", "--json"],
        { cwd: repo },
      );
      expect(result.code).toBe(1);
      const out = await json(result.stdout);
      expect(out.end_reason).toBe("deny");
      expect(out.denied).toEqual([expect.objectContaining({ source: "runtime", rule: expect.any(String) })]);
      expect(out.summary).toMatchObject({ denied_count: 1, denied_steps: [1], stop_on_deny: true });
      const ledger = (await readFile(String(out.ledger), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const call = ledger.find((e) => e.kind === "tool_call");
      expect(call).toMatchObject({ tool: "runtime", decision: { allowed: false } });
      const allowed = await runCli(
        ["run", "--issue", "11", "--agent", "sh", "--script", "echo fine", "--json"],
        { cwd: repo },
      );
      expect((await json(allowed.stdout)).end_reason).toBe("done");
    });
  });

  it("budget_exhausted: completion never holds within --max-iterations; failures are fed back", async () => {
    await withGitSandbox(async (sb) => {
      const agent = commandAgent(
        "stubborn",
        "const fs=require('fs');fs.appendFileSync('log.txt', fs.readFileSync(process.argv[1],'utf8').includes('not met yet') ? 'saw feedback\\n' : 'first\\n')",
        {
          behavior: {
            systemPromptPath: "prompts/system.md",
            completionType: "externalState",
            completionConfig: { validators: [{ validator: "file-exists", args: { path: "never.txt" } }] },
          },
        },
      );
      const repo = await setupRepo(sb, { ...agent, ...issueFile(12, "Never") });
      const result = await runCli(
        ["run", "--issue", "12", "--agent", "stubborn", "--max-iterations", "2", "--json"],
        { cwd: repo },
      );
      const out = await json(result.stdout);
      expect(out.end_reason).toBe("budget_exhausted");
      expect(result.code).toBe(1);
      expect(out.iterations).toBe(2);
      expect(await readFile(join(repo, ".worktrees", "issue-12", "log.txt"), "utf8")).toBe(
        "first\nsaw feedback\n",
      );
      expect(await sb.git(repo, "log", "--format=%s", "handoff/issue-12-never")).toContain(
        "stubborn: iteration 2 on #12",
      );
    });
  });

  it("timeout: the wall-time budget kills the agent and keeps its work in progress", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent(
          "slow",
          "require('fs').writeFileSync('partial.txt','half\\n'); setTimeout(()=>0, 60000)",
        ),
        ...issueFile(13, "Slow"),
      });
      const result = await runCli(["run", "--issue", "13", "--agent", "slow", "--timeout", "2", "--json"], {
        cwd: repo,
      });
      const out = await json(result.stdout);
      expect(out.end_reason).toBe("timeout");
      expect(result.code).toBe(1);
      const subject = await sb.git(repo, "log", "-1", "--format=%s", "handoff/issue-13-slow");
      expect(subject).toBe("WIP: slow work in progress on #13 (iteration 1)");
      expect(await sb.git(repo, "show", "handoff/issue-13-slow:partial.txt")).toBe("half");
      const tag = String(out.checkpoint);
      expect(await sb.git(repo, "tag", "-l", "--format=%(contents)", tag)).toContain(
        "Handoff-End-Reason: timeout",
      );
    });
  });

  it("stopped: SIGTERM ends the agent, commits the work in progress, checkpoints, exits 130", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent(
          "sleeper",
          "require('fs').writeFileSync('wip.txt','wip\\n'); console.log('ready'); setInterval(()=>0, 1000)",
        ),
        ...issueFile(14, "Sleep"),
      });
      const summaryFile = join(sb.root, "s.json");
      const child = spawnCli(
        ["run", "--issue", "14", "--agent", "sleeper", "--summary-file", summaryFile],
        repo,
      );
      const wip = join(repo, ".worktrees", "issue-14", "wip.txt");
      for (let i = 0; i < 200 && !existsSync(wip); i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      process.kill(child.pid, "SIGTERM");
      const done = await child.done;
      expect(done.code).toBe(130);
      expect(done.stdout).toContain("stopped");
      const summary = await json(await readFile(summaryFile, "utf8"));
      expect(summary).toMatchObject({
        end_reason: "stopped",
        stopped_count: 1,
        stopped_steps: [1],
        done: false,
      });
      expect(await sb.git(repo, "log", "-1", "--format=%s", "handoff/issue-14-sleep")).toContain("WIP");
      expect(await sb.git(repo, "show", "handoff/issue-14-sleep:wip.txt")).toBe("wip");
      const test = await runCli(["test"], { cwd: repo });
      expect(test.code).toBe(130);
      expect(test.stdout).toContain("stopped");
    });
  });

  it("job loop: index persisted, job_input feeds the prompt, job_result at job_loop_complete; cleanrun resets", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent(
          "jobs",
          "const fs=require('fs');fs.appendFileSync('jobs.txt', (fs.readFileSync(process.argv[1],'utf8').includes('\"target\": \"alpha\"') ? 'payload' : 'none') + '\\n')",
        ),
        ...issueFile(15, "Jobs"),
      });
      const input = join(sb.root, "job_input.json");
      const resultFile = join(sb.root, "job_result.json");
      await sb.writeFile(sb.root, "job_input.json", JSON.stringify({ job_name: "sample", target: "alpha" }));
      const args = [
        "run",
        "--issue",
        "15",
        "--agent",
        "jobs",
        "--max-jobs",
        "2",
        "--job-input",
        input,
        "--job-result",
        resultFile,
        "--json",
      ];
      const first = await json((await runCli(args, { cwd: repo })).stdout);
      expect(first.summary).toMatchObject({
        end_reason: "done",
        job_loop: { enabled: true, max_jobs: 2, job_name: "sample", current_job_index: 1, completed: false },
        job_payload_present: true,
      });
      const second = await json((await runCli(args, { cwd: repo })).stdout);
      expect(second.summary).toMatchObject({ job_loop: { current_job_index: 2 } });
      const third = await runCli(args, { cwd: repo });
      expect(third.code).toBe(0);
      const out = await json(third.stdout);
      expect(out.end_reason).toBe("job_loop_complete");
      expect(out.summary).toMatchObject({
        job_loop: { completed: true },
        job_result_written: true,
        job_result_exists: true,
      });
      const result = await json(await readFile(resultFile, "utf8"));
      expect(result).toMatchObject({
        job_name: "sample",
        max_jobs: 2,
        jobs_executed: 2,
        last_phase: "job_loop_complete",
      });
      expect(await readFile(join(repo, ".worktrees", "issue-15", "jobs.txt"), "utf8")).toBe(
        "payload\npayload\n",
      );
      const test = await runCli(["test"], { cwd: repo });
      expect(test.code).toBe(0);
      expect(test.stdout).not.toContain("WARNING");
      // cleanrun: worktree, branch (backed up) and loop state go; the loop starts again at job 1.
      const clean = await json((await runCli(["cleanrun", ...args.slice(1)], { cwd: repo })).stdout);
      expect(clean.summary).toMatchObject({ end_reason: "done", job_loop: { current_job_index: 1 } });
      expect(existsSync(resultFile)).toBe(false);
      expect(await readFile(join(repo, ".worktrees", "issue-15", "jobs.txt"), "utf8")).toBe("payload\n");
      expect(await sb.git(repo, "for-each-ref", "--format=%(refname)", "refs/handoff/backup/")).toContain(
        "refs/handoff/backup/handoff/issue-15-jobs/",
      );
      const warn = await runCli(["test"], { cwd: repo });
      expect(warn.stdout).toContain("WARNING: job_loop enabled but not completed");
    });
  }, 90_000);

  it("refuses bad usage with exit 2 and a clear message", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, { ...commandAgent("a", WRITE), ...issueFile(1, "One") });
      const none = await runCli(["run", "--agent", "a"], { cwd: repo });
      expect(none.code).toBe(2);
      expect(none.stderr).toContain("give --issue N or --job-file FILE");
      const missing = await runCli(["run", "--agent", "a", "--issue", "99"], { cwd: repo });
      expect(missing.code).toBe(4);
      expect(missing.stderr).toContain(
        "issue 99 not found on the local forge: create it with `handoff issue create",
      );
      const bad = await runCli(["run", "--agent", "a", "--issue", "1", "--max-iterations", "zero"], {
        cwd: repo,
      });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--max-iterations must be a positive integer, not "zero"');
      const agentless = await runCli(["run", "--agent", "nobody", "--issue", "1"], { cwd: repo });
      expect(agentless.code).toBe(4);
    });
  });
});

describe("handoff run on a terminal", () => {
  it("shows progress (iteration, step, elapsed) under a PTY, and none with --json", async () => {
    const pty = await import("@lydell/node-pty");
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent("p", WRITE),
        ...issueFile(16, "Progress"),
        ...playbookFile("process.exit(0)"),
      });
      const run = (args: string[]): Promise<string> =>
        new Promise((resolve) => {
          const env = { ...process.env } as Record<string, string>;
          delete env.CI;
          const term = pty.spawn(process.execPath, [CLI, ...args], { cwd: repo, env, cols: 200, rows: 50 });
          let out = "";
          term.onData((d) => (out += d));
          term.onExit(() => resolve(out));
        });
      const shown = await run(["run", "--issue", "16", "--agent", "p"]);
      expect(shown).toMatch(/handoff: iteration 1\/1 · \d+s/);
      expect(shown).toMatch(/handoff: iteration 1\/1 · step test passed · \d+s/);
      expect(shown).toContain("done: complete after 1 iteration(s)");
      const quiet = await run(["run", "--issue", "16", "--agent", "p", "--json"]);
      expect(quiet).not.toContain("handoff: iteration");
      expect(quiet).toContain('"end_reason": "done"');
    });
  });
});
