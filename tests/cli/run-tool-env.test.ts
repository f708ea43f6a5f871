/**
 * The commands an agent CLI's shell tool runs do not see the CLI's API key: Handoff sets Codex's
 * `shell_environment_policy` and Gemini CLI's `security.environmentVariableRedaction` so the
 * credentials the agent's `runtime.env` passes to the CLI are not inherited by its commands. The policy
 * allows everything here, so what holds is the vendor's own environment rule; the CLI itself still
 * authenticates with the key.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";
import { geminiApi, responsesApi } from "../helpers/model-dialects.js";
import { startModelServer, type ScriptReply } from "../helpers/model-server.js";
import { codexEnv, geminiEnv } from "../helpers/vendor-clis.js";
import { issueFile, setupRepo } from "../runs/cli-fixtures.js";
import type { RunJson } from "./real-cli-fixtures.js";

const PROBE = 'echo "key=[$OPENAI_API_KEY][$CODEX_API_KEY][$GEMINI_API_KEY]"; env';

const VENDORS = {
  codex: {
    runtime: { adapter: "codex", model: "gpt-5.5", env: ["OPENAI_API_KEY", "OPENAI_BASE_URL"] },
    key: "sk-openai-test-dummy-key-0000",
    dialect: responsesApi,
    env: codexEnv,
    call: (cmd: string): ScriptReply => ({
      content: [{ type: "tool_use", name: "exec_command", input: { cmd } }],
    }),
    sentKey: (headers: Record<string, unknown>) => headers.authorization,
    expectedHeader: "Bearer sk-openai-test-dummy-key-0000",
  },
  gemini: {
    runtime: { adapter: "gemini", env: ["GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL"] },
    key: "gemini-test-dummy-key-0000",
    dialect: geminiApi,
    env: geminiEnv,
    call: (command: string): ScriptReply => ({
      content: [{ type: "tool_use", name: "run_shell_command", input: { command, description: "env" } }],
    }),
    sentKey: (headers: Record<string, unknown>) => headers["x-goog-api-key"],
    expectedHeader: "gemini-test-dummy-key-0000",
  },
} as const;

describe("an agent CLI's shell tool environment, with an allow-all policy", () => {
  for (const [name, vendor] of Object.entries(VENDORS)) {
    it(`${name}: the commands do not carry the CLI's API key, which the CLI itself still uses`, async () => {
      await withGitSandbox(async (sb) => {
        const agent = {
          name: `${name}-coder`,
          displayName: name,
          description: `${name} under test`,
          role: "coder",
          runtime: { ...vendor.runtime, maxTurns: 4 },
          behavior: {
            systemPromptPath: "prompts/system.md",
            completionType: "iterationBudget",
            completionConfig: { maxIterations: 1 },
            permissionMode: "acceptEdits",
          },
          finalize: { autoMerge: false, push: false, remote: "origin", createPr: false },
        };
        const repo = await setupRepo(sb, {
          [`.handoff/agents/${agent.name}/agent.json`]: JSON.stringify(agent, null, 2),
          [`.handoff/agents/${agent.name}/prompts/system.md`]: "You are a careful coder.\n",
          ".handoff/policy.yml": "default_action: allow\nstop_on_deny: false\n",
          ...issueFile(21, "Look around", "Print the environment."),
        });
        let seen = "";
        const server = await startModelServer(
          [
            vendor.call(PROBE),
            (ctx) => {
              seen = ctx.toolResults[0]?.content ?? "";
              return { content: [{ type: "text", text: "Done." }] };
            },
          ],
          { dialect: vendor.dialect },
        );
        try {
          const env = await vendor.env(sb.root, server.url);
          const result = await runCli(["run", "--issue", "21", "--agent", agent.name, "--json"], {
            cwd: repo,
            env,
          });
          const out = JSON.parse(result.stdout || "{}") as RunJson;
          expect(server.errors).toEqual([]);
          expect(out.end_reason, result.stderr).not.toBe("fatal_error");
          expect(vendor.sentKey(server.turns[0]?.headers ?? {})).toBe(vendor.expectedHeader);
          expect(seen).toContain("key=[][][]");
          expect(seen).toContain("PATH=");
          expect(seen).not.toContain(vendor.key);
          expect(JSON.stringify(server.turns.map((t) => t.body))).not.toContain(vendor.key);
        } finally {
          await server.close();
        }
      });
    }, 180_000);
  }
});
