/**
 * The real-CLI proof for Gemini CLI: `handoff run` drives the real Gemini CLI (pinned devDependency)
 * with the shipped gemini agent's runtime against a scripted `streamGenerateContent` server. Only the
 * model is scripted: Gemini reads and edits greet.js with its own tools, runs the tests through
 * run_shell_command (offered headless by Handoff's policy rule), and its BeforeTool hook — Handoff's real
 * `policy hook --protocol gemini` — denies `rm -rf .git/hooks`.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";
import { geminiApi } from "../helpers/model-dialects.js";
import { startModelServer, type ScriptReply, type ScriptTurn } from "../helpers/model-server.js";
import { geminiEnv } from "../helpers/vendor-clis.js";
import { setupRepo } from "../runs/cli-fixtures.js";
import {
  DENIED_COMMAND,
  GREET_AFTER,
  expectDoneRunEvidence,
  realCliFiles,
  type RunJson,
} from "./real-cli-fixtures.js";

const SHIPPED = JSON.parse(
  await readFile(new URL("../../agents/gemini/agent.json", import.meta.url), "utf8"),
) as { runtime: Record<string, unknown>; behavior: Record<string, unknown> };

/** The shipped gemini agent's runtime and tools exactly (no model, its env names); no push, no PR. */
const AGENT = {
  name: "gemini-coder",
  displayName: "Gemini coder",
  description: "Gemini CLI under test",
  role: "coder",
  runtime: { ...SHIPPED.runtime, maxTurns: 10 },
  behavior: {
    ...SHIPPED.behavior,
    completionType: "externalState",
    completionConfig: {
      maxIterations: 2,
      validators: [{ validator: "tests-pass" }, { validator: "git-clean" }],
    },
  },
  finalize: { autoMerge: false, push: false, remote: "origin", createPr: false },
};

function script(worktree: string, seen: string[]): ScriptTurn[] {
  const file = join(worktree, "greet.js");
  const call = (name: string, input: Record<string, unknown>): ScriptReply => ({
    content: [{ type: "tool_use", name, input }],
  });
  return [
    call("read_file", { file_path: file }),
    (ctx) => {
      seen.push(`read: ${ctx.toolResults[0]?.content ?? ""}`);
      return call("replace", {
        file_path: file,
        old_string: "'hi'",
        new_string: "'hello'",
        instruction: "greet with hello",
      });
    },
    (ctx) => {
      seen.push(`edit: ${ctx.toolResults[0]?.content ?? ""}`);
      return call("run_shell_command", { command: "node test.js", description: "run the tests" });
    },
    (ctx) => {
      seen.push(`tests: ${ctx.toolResults[0]?.content ?? ""}`);
      return call("run_shell_command", { command: DENIED_COMMAND, description: "clean up" });
    },
    (ctx) => {
      seen.push(`denied: ${ctx.toolResults[0]?.content ?? ""}`);
      return { content: [{ type: "text", text: "Done: greet() returns hello and the tests pass." }] };
    },
  ];
}

describe("handoff run with the real Gemini CLI", () => {
  it("edits the file, runs the tests through its shell tool, is denied by Handoff's hook, and finishes done", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, realCliFiles(AGENT, false));
      const worktree = join(repo, ".worktrees", "issue-21");
      const seen: string[] = [];
      const server = await startModelServer(script(worktree, seen), { dialect: geminiApi });
      let out: RunJson;
      try {
        const env = await geminiEnv(sb.root, server.url);
        const result = await runCli(["run", "--issue", "21", "--agent", AGENT.name, "--json"], {
          cwd: repo,
          env,
        });
        out = JSON.parse(result.stdout || "{}") as RunJson;
        expect(server.errors).toEqual([]);
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
      } finally {
        await server.close();
      }
      // The key reached the API as Gemini sends it; the base URL was the scripted server's.
      expect(server.turns[0]?.path).toMatch(/^\/v1beta\/models\/[^/]+:streamGenerateContent$/);
      expect(server.turns[0]?.headers["x-goog-api-key"]).toBe("gemini-test-dummy-key-0000");
      expect(seen[0]).toContain("module.exports = () => 'hi'");
      expect(seen[2]).toContain("tests passed");
      expect(seen[3]).toMatch(
        /handoff policy denied this command \((default_action|deny\[\d+\]|write-path)\)/,
      );
      expect(await readFile(join(worktree, "greet.js"), "utf8")).toBe(GREET_AFTER);
      await expectDoneRunEvidence(sb, repo, out, AGENT.name, "gemini-test-dummy-key-0000");
      // Nothing of Handoff's Gemini settings was written into the worktree.
      expect(await sb.git(worktree, "status", "--porcelain", "--ignored")).not.toContain(".gemini");
    });
  }, 180_000);
});
