/**
 * End to end on one machine, through the real CLI and the real example pipeline: the pipeline stops with
 * pending tasks → `handoff queue push` → `handoff queue sync` opens the issues → `/complete` comments
 * (handled by the same event flow the app runs) → `handoff queue pull` → the rerun finishes.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fenced } from "../../src/flows/llm-tasks/issue.js";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";

const ROOT = join(import.meta.dirname, "..", "..");
const PIPELINE = join(ROOT, "examples", "release-notes.mjs");

function thinkEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(LLM_|HANDOFF_|OPENAI_|ANTHROPIC_|GITHUB_)/.test(k)) env[k] = v;
  return { ...env, LLM_EXEC_SLOT: "3", HANDOFF_USER: "maintainer" };
}

describe("handoff queue push | sync | pull on the local forge", () => {
  it("takes a stopped pipeline through issues and /complete to a finished rerun", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("pipeline", { files: { "README.md": "# pipeline\n" } });
      const env = thinkEnv();
      const cli = (args: string[]) => runCli(args, { cwd: repo, env });

      const first = await runNode(repo, env);
      expect(first.code).toBe(75);

      const push = await cli(["queue", "push"]);
      expect(push.stderr).toBe("");
      expect(push.stdout).toContain("pushed 2 pending task(s) to handoff/llm-tasks on the local forge");
      expect((await cli(["queue", "push"])).stdout).toContain("pushed 0 pending task(s)");

      const sync = await cli(["queue", "sync", "--json"]);
      const report = JSON.parse(sync.stdout) as { created: { id: string; issue: number }[] };
      expect(report.created).toHaveLength(2);
      expect(JSON.parse((await cli(["queue", "sync", "--json"])).stdout).created).toEqual([]);

      const list = await cli(["issue", "list", "--label", "handoff:llm-task"]);
      expect(list.stdout.trim().split("\n")).toHaveLength(2);

      const answers = JSON.parse(
        await readFile(join(ROOT, "examples", "release-notes.answers.json"), "utf8"),
      ) as Record<string, string>;
      for (const { id, issue } of report.created) {
        const task = id.split("__")[0]!;
        const done = await cli([
          "issue",
          "comment",
          String(issue),
          "--body",
          `/complete\n${fenced(answers[task]!)}`,
        ]);
        expect(done.stderr).toBe("");
        expect(done.stdout).toContain(`completed ${id}`);
        const shown = await cli(["issue", "show", String(issue), "--json"]);
        expect(JSON.parse(shown.stdout).state).toBe("closed");
      }

      const pull = await cli(["queue", "pull"]);
      expect(pull.stdout).toContain("pulled 2 result(s)");
      const rerun = await runNode(repo, env);
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toContain("# Release notes");
      expect(rerun.stdout).toContain("claim a task so two agents never answer the same one");
    });
  });

  it("refuses a /complete from a user without write permission and writes nothing", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("pipeline", { files: { "README.md": "# pipeline\n" } });
      const env = thinkEnv();
      const cli = (args: string[]) => runCli(args, { cwd: repo, env });
      expect((await runNode(repo, env)).code).toBe(75);
      await cli(["queue", "push"]);
      const report = JSON.parse((await cli(["queue", "sync", "--json"])).stdout) as {
        created: { issue: number }[];
      };
      const refs = await sb.refs(repo);
      const refused = await cli([
        "issue",
        "comment",
        String(report.created[0]!.issue),
        "--as",
        "visitor",
        "--body",
        "/complete hi",
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain("refused: your permission on this repository is `none`");
      expect(await sb.refs(repo)).toBe(refs);
    });
  });
});

/** Runs the example pipeline as a real child process. */
function runNode(cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [PIPELINE], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });
}
