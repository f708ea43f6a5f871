/**
 * Codex's shell tool does not see the CLI's API key: Handoff sets Codex's `shell_environment_policy`
 * so the credentials the agent's `runtime.env` passes to the CLI are not inherited by the commands it
 * runs. The policy allows everything here, so what holds is Codex's own environment policy.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";
import { responsesApi } from "../helpers/model-dialects.js";
import { startModelServer, type ScriptReply } from "../helpers/model-server.js";
import { codexEnv } from "../helpers/vendor-clis.js";
import { issueFile, setupRepo } from "../runs/cli-fixtures.js";
import type { RunJson } from "./real-cli-fixtures.js";

const KEY = "sk-openai-test-dummy-key-0000";

const AGENT = {
  name: "codex-coder",
  displayName: "Codex coder",
  description: "Codex CLI under test",
  role: "coder",
  runtime: { adapter: "codex", model: "gpt-5.5", env: ["OPENAI_API_KEY", "OPENAI_BASE_URL"], maxTurns: 4 },
  behavior: {
    systemPromptPath: "prompts/system.md",
    completionType: "iterationBudget",
    completionConfig: { maxIterations: 1 },
    permissionMode: "acceptEdits",
  },
  finalize: { autoMerge: false, push: false, remote: "origin", createPr: false },
};

describe("Codex's shell tool environment, with an allow-all policy", () => {
  it("does not carry the CLI's API key, which the CLI itself still uses", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        [`.handoff/agents/${AGENT.name}/agent.json`]: JSON.stringify(AGENT, null, 2),
        [`.handoff/agents/${AGENT.name}/prompts/system.md`]: "You are a careful coder.\n",
        ".handoff/policy.yml": "default_action: allow\nstop_on_deny: false\n",
        ...issueFile(21, "Look around", "Print the environment."),
      });
      let seen = "";
      const exec = (cmd: string): ScriptReply => ({
        content: [{ type: "tool_use", name: "exec_command", input: { cmd } }],
      });
      const server = await startModelServer(
        [
          exec('echo "key=[$OPENAI_API_KEY][$CODEX_API_KEY]"; env'),
          (ctx) => {
            seen = ctx.toolResults[0]?.content ?? "";
            return { content: [{ type: "text", text: "Done." }] };
          },
        ],
        { dialect: responsesApi },
      );
      try {
        const env = await codexEnv(sb.root, server.url);
        const result = await runCli(["run", "--issue", "21", "--agent", AGENT.name, "--json"], {
          cwd: repo,
          env,
        });
        const out = JSON.parse(result.stdout || "{}") as RunJson;
        expect(server.errors).toEqual([]);
        expect(out.end_reason, result.stderr).not.toBe("fatal_error");
        expect(server.turns[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
        expect(seen).toContain("key=[][]");
        expect(seen).toContain("PATH=");
        expect(seen).not.toContain(KEY);
        expect(JSON.stringify(server.turns.map((t) => t.body))).not.toContain(KEY);
      } finally {
        await server.close();
      }
    });
  }, 180_000);
});
