/**
 * Handoff's hook failing closed inside the real Gemini CLI: with the policy file gone, the hook's deny
 * blocks the shell command — in Gemini's answer format. The same failure answered in Claude's format is
 * ignored by Gemini CLI and the command runs, which is why `--protocol gemini` exists.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { policyHookCommand } from "../../src/runs/setup.js";
import { runAgent } from "../../src/runtimes/index.js";
import { CLI } from "../helpers/cli.js";
import { geminiApi } from "../helpers/model-dialects.js";
import { startModelServer } from "../helpers/model-server.js";
import { withTempDir } from "../helpers/temp.js";
import { geminiEnv } from "../helpers/vendor-clis.js";

async function touchUnderHook(dir: string, protocol: "claude" | "gemini") {
  const worktree = join(dir, `wt-${protocol}`);
  const results: string[] = [];
  const server = await startModelServer(
    [
      { content: [{ type: "tool_use", name: "run_shell_command", input: { command: "touch proof.txt" } }] },
      (ctx) => {
        results.push(ctx.toolResults[0]?.content ?? "");
        return { content: [{ type: "text", text: "done" }] };
      },
    ],
    { dialect: geminiApi },
  );
  try {
    const env = await geminiEnv(join(dir, `env-${protocol}`), server.url);
    await mkdir(worktree, { recursive: true });
    const report = await runAgent({
      runtime: {
        adapter: "gemini",
        model: "gemini-2.5-flash",
        env: ["GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL"],
      },
      prompt: "Touch proof.txt.",
      promptFile: join(dir, "p.md"),
      worktree,
      issue: "1",
      permissionMode: "acceptEdits",
      policyHookCommand: policyHookCommand(CLI, join(dir, "no-such-policy.yml"), { protocol }),
      homeDir: join(dir, `home-${protocol}`),
      sourceEnv: { ...process.env, ...env },
    });
    expect(server.errors).toEqual([]);
    return { report, results, touched: existsSync(join(worktree, "proof.txt")) };
  } finally {
    await server.close();
  }
}

describe("Handoff's hook in the real Gemini CLI", () => {
  it("fails closed in Gemini's format; a Claude-format deny would have let the command run", async () => {
    await withTempDir(async (dir) => {
      const gemini = await touchUnderHook(dir, "gemini");
      expect(gemini.report.isError).toBe(false);
      expect(gemini.touched).toBe(false);
      expect(gemini.results[0]).toContain("handoff policy hook failed closed");
      const claude = await touchUnderHook(dir, "claude");
      expect(claude.touched).toBe(true);
    });
  }, 120_000);
});
