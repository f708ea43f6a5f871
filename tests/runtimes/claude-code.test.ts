import { execFileSync } from "node:child_process";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAgent } from "../../src/runtimes/index.js";
import { claudeEnv } from "../helpers/claude.js";
import { startModelServer } from "../helpers/model-server.js";
import { withTempDir } from "../helpers/temp.js";

// A stand-in PreToolUse hook for this adapter-level test: it denies any command containing "rm " and says
// which rule did. The run-level test uses Handoff's real `handoff policy hook`.
const HOOK = `#!/usr/bin/env node
let s = "";
process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const call = JSON.parse(s);
  if (String(call.tool_input && call.tool_input.command).includes("rm ")) {
    process.stdout.write(JSON.stringify({ hookSpecificOutput: { hookEventName: "PreToolUse",
      permissionDecision: "deny", permissionDecisionReason: "denied by test-rule[0]: rm" } }));
  }
});
`;

describe("claude-code adapter with the real Claude Code CLI", () => {
  it("writes a file, runs Bash, and reports a hook denial with its reason", async () => {
    await withTempDir(async (dir) => {
      const worktree = join(dir, "wt");
      execFileSync("git", ["init", "-q", worktree]);
      const hook = join(dir, "hook.mjs");
      await writeFile(hook, HOOK);
      await chmod(hook, 0o755);
      const server = await startModelServer([
        {
          content: [
            {
              type: "tool_use",
              name: "Write",
              input: { file_path: join(worktree, "a.txt"), content: "alpha\n" },
            },
          ],
        },
        {
          content: [
            {
              type: "tool_use",
              name: "Bash",
              input: { command: "cat a.txt && echo bash-ran", description: "show" },
            },
          ],
        },
        (ctx) => {
          expect(ctx.toolResults[0]?.content).toContain("bash-ran");
          return {
            content: [
              { type: "tool_use", name: "Bash", input: { command: "rm -rf a.txt", description: "remove" } },
            ],
          };
        },
        (ctx) => ({ content: [{ type: "text", text: `saw: ${ctx.toolResults[0]?.content ?? "nothing"}` }] }),
      ]);
      try {
        const env = await claudeEnv(dir, server.url);
        const report = await runAgent({
          runtime: { adapter: "claude-code", env: ["ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"] },
          prompt: "Create a.txt, show it, then remove it.",
          promptFile: join(dir, "prompt.md"),
          worktree,
          issue: "7",
          allowedTools: ["Read", "Write", "Edit", "Bash"],
          permissionMode: "acceptEdits",
          maxTurns: 8,
          policyHookCommand: `node '${hook}'`,
          sourceEnv: { ...process.env, ...env },
        });
        expect(server.errors).toEqual([]);
        expect(report.isError).toBe(false);
        expect(await readFile(join(worktree, "a.txt"), "utf8")).toBe("alpha\n");
        expect(report.toolCalls.map((c) => c.name)).toEqual(["Write", "Bash", "Bash"]);
        expect(report.toolCalls[1]?.result).toContain("bash-ran");
        expect(report.permissionDenials).toHaveLength(1);
        expect(report.permissionDenials[0]).toMatchObject({
          toolName: "Bash",
          input: { command: "rm -rf a.txt" },
        });
        expect(report.permissionDenials[0]?.reason).toContain("test-rule[0]");
        expect(report.resultText).toContain("test-rule[0]");
        expect(report.turns).toBe(4);
        expect(report.inputTokens).toBeGreaterThan(0);
        expect(report.costUsd).toBeGreaterThan(0);
        expect(report.metrics.durationMs).toBeGreaterThan(0);
        expect(report.metrics.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
        // The prompt went in on stdin and the model saw it.
        expect(JSON.stringify(server.turns[0]?.body?.messages)).toContain("Create a.txt");
        // The API key reached the model server as the CLI's credential, from the env name only.
        expect(server.turns[0]?.headers["x-api-key"]).toBe(env.ANTHROPIC_API_KEY);
      } finally {
        await server.close();
      }
    });
  }, 120_000);

  it("stops at --max-turns and reports it as an error", async () => {
    await withTempDir(async (dir) => {
      const worktree = join(dir, "wt");
      execFileSync("git", ["init", "-q", worktree]);
      const again = {
        content: [{ type: "tool_use" as const, name: "Bash", input: { command: "echo again" } }],
      };
      const server = await startModelServer([again, again, again, again]);
      try {
        const env = await claudeEnv(dir, server.url);
        const report = await runAgent({
          runtime: { adapter: "claude-code", env: ["ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"] },
          prompt: "loop",
          promptFile: join(dir, "prompt.md"),
          worktree,
          issue: "7",
          allowedTools: ["Bash"],
          maxTurns: 2,
          sourceEnv: { ...process.env, ...env },
        });
        expect(report.isError).toBe(true);
        expect(report.errorMessage).toContain("max_turns");
        expect(server.turns.length).toBe(2);
      } finally {
        await server.close();
      }
    });
  }, 120_000);

  it("runs under a pseudo-terminal when the runtime says tty: true", async () => {
    await withTempDir(async (dir) => {
      const worktree = join(dir, "wt");
      execFileSync("git", ["init", "-q", worktree]);
      const server = await startModelServer([
        {
          content: [
            {
              type: "tool_use",
              name: "Bash",
              input: { command: "test -t 0 && echo has-a-tty || echo no-tty" },
            },
          ],
        },
        (ctx) => ({ content: [{ type: "text", text: `tty check: ${ctx.toolResults[0]?.content ?? ""}` }] }),
      ]);
      try {
        const env = await claudeEnv(dir, server.url);
        const report = await runAgent({
          runtime: { adapter: "claude-code", env: ["ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"], tty: true },
          prompt: "Check the terminal.",
          promptFile: join(dir, "prompt.md"),
          worktree,
          issue: "8",
          allowedTools: ["Bash"],
          sourceEnv: { ...process.env, ...env },
        });
        expect(server.errors).toEqual([]);
        expect(report.isError).toBe(false);
        expect(report.resultText).toMatch(/^tty check: /);
        expect(report.toolCalls.map((c) => c.name)).toEqual(["Bash"]);
        // Under a PTY the prompt travels in argv (there is no stdin stream to close).
        expect(JSON.stringify(server.turns[0]?.body?.messages)).toContain("Check the terminal.");
      } finally {
        await server.close();
      }
    });
  }, 120_000);
});
