/**
 * THE real-CLI proof: `handoff run` drives the real Claude Code CLI (pinned devDependency) against a
 * scripted Anthropic-compatible server. Only the model is scripted: Claude Code writes the file, runs the
 * tests through its Bash tool, and asks Handoff's real PreToolUse hook (`handoff policy hook`) about a
 * command the policy denies.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { claudeEnv } from "../helpers/claude.js";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox, type GitSandbox } from "../helpers/git.js";
import { startModelServer, type ScriptTurn } from "../helpers/model-server.js";
import { setupRepo } from "../runs/cli-fixtures.js";
import {
  GREET_AFTER,
  expectDenyRunEvidence,
  expectDoneRunEvidence,
  realCliFiles,
  type RunJson,
  claudeCoder,
} from "./real-cli-fixtures.js";

const AGENT = claudeCoder({ maxTurns: 10, maxIterations: 2, gitClean: true });

function script(worktree: string, seen: string[]): ScriptTurn[] {
  const file = join(worktree, "greet.js");
  return [
    {
      content: [
        { type: "text", text: "Let me look at greet.js." },
        { type: "tool_use", name: "Read", input: { file_path: file } },
      ],
    },
    (ctx) => {
      seen.push(`read: ${ctx.toolResults[0]?.content ?? ""}`);
      return {
        content: [
          {
            type: "tool_use",
            name: "Edit",
            input: { file_path: file, old_string: "'hi'", new_string: "'hello'" },
          },
        ],
      };
    },
    (ctx) => {
      seen.push(`edit: ${ctx.toolResults[0]?.content ?? ""}`);
      return {
        content: [
          {
            type: "tool_use",
            name: "Bash",
            input: { command: "node test.js", description: "run the tests" },
          },
        ],
      };
    },
    (ctx) => {
      seen.push(`tests: ${ctx.toolResults[0]?.content ?? ""}`);
      return {
        content: [
          {
            type: "tool_use",
            name: "Bash",
            input: { command: "rm -rf .git/hooks", description: "clean up" },
          },
        ],
      };
    },
    (ctx) => {
      seen.push(`denied: ${ctx.toolResults[0]?.is_error === true} ${ctx.toolResults[0]?.content ?? ""}`);
      return { content: [{ type: "text", text: "Done: greet() returns hello and the tests pass." }] };
    },
  ];
}

async function runWithClaude(sb: GitSandbox, stopOnDeny: boolean) {
  const repo = await setupRepo(sb, realCliFiles(AGENT, stopOnDeny));
  const worktree = join(repo, ".worktrees", "issue-21");
  const seen: string[] = [];
  const server = await startModelServer(script(worktree, seen));
  try {
    const env = await claudeEnv(sb.root, server.url);
    const result = await runCli(["run", "--issue", "21", "--agent", "claude-coder", "--json"], {
      cwd: repo,
      env,
    });
    return {
      repo,
      worktree,
      seen,
      server,
      result,
      out: JSON.parse(result.stdout || "{}") as RunJson,
    };
  } finally {
    await server.close();
  }
}

describe("handoff run with the real Claude Code CLI", () => {
  it("writes the file, runs the tests through Bash, is denied by Handoff's hook, and finishes done", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, worktree, seen, server, result, out } = await runWithClaude(sb, false);
      expect(server.errors).toEqual([]);
      expect(result.stderr).toBe("");
      expect(out.end_reason).toBe("done");
      expect(result.code).toBe(0);
      // The real CLI ran the tools for real.
      expect(seen[0]).toContain("module.exports = () => 'hi'");
      expect(seen[1]).toContain("greet.js");
      expect(seen[2]).toContain("tests passed");
      expect(seen[3]).toMatch(/^denied: true handoff policy denied this command/);
      expect(await readFile(join(worktree, "greet.js"), "utf8")).toBe(GREET_AFTER);
      // The commit and checkpoint on the issue branch; the denial in Claude Code's permission_denials and
      // in the ledger with the rule the hook told the agent; no API key in the evidence.
      await expectDoneRunEvidence(sb, repo, out, AGENT.name, "sk-ant-test-dummy-key-0000");
      expect(out.agent[0]?.permission_denials[0]?.toolName).toBe("Bash");
      // Seed 002 metrics of the agent's whole process tree (the CLI, its shells, the hook processes).
      expect(out.metrics.peak_rss_bytes).toBeGreaterThan(50 * 1024 * 1024);
    });
  }, 180_000);

  it("with stop_on_deny the same denial ends the run as deny, keeping the work in progress", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, out, result } = await runWithClaude(sb, true);
      expect(result.code).toBe(1);
      await expectDenyRunEvidence(sb, repo, out, AGENT.name);
    });
  }, 180_000);

  it("turn and cost budgets fail closed: the CLI gets the remaining budget and the run ends budget_exhausted", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, realCliFiles(AGENT, false));
      const loop: ScriptTurn = { content: [{ type: "tool_use", name: "Bash", input: { command: "ls" } }] };
      const server = await startModelServer([], { whenExhausted: loop });
      try {
        const env = await claudeEnv(sb.root, server.url);
        const turns = await runCli(
          ["run", "--issue", "21", "--agent", "claude-coder", "--max-turns", "3", "--json"],
          { cwd: repo, env },
        );
        const out = JSON.parse(turns.stdout) as RunJson;
        expect(out.end_reason).toBe("budget_exhausted");
        // Claude Code counts the turn it stopped in, so the report may say one more than the cap.
        expect(out.message).toMatch(/^turn budget spent \([34] of 3\)$/);
        expect(turns.code).toBe(1);
        expect(server.turns.length).toBeLessThanOrEqual(4);
        const before = server.turns.length;
        const cost = await runCli(
          ["run", "--issue", "21", "--agent", "claude-coder", "--max-cost", "0.004", "--json"],
          { cwd: repo, env },
        );
        const spent = JSON.parse(cost.stdout) as RunJson;
        expect(spent.end_reason).toBe("budget_exhausted");
        expect(spent.message).toMatch(/^cost budget spent/);
        // Claude Code stopped itself at --max-budget-usd after a few turns, not at the turn cap.
        expect(server.turns.length - before).toBeLessThan(10);
      } finally {
        await server.close();
      }
    });
  }, 180_000);
});
