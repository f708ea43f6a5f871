/**
 * The real-CLI proof for Codex: `handoff run` drives the real Codex CLI (pinned devDependency) against a
 * scripted Responses API server. Only the model is scripted: Codex patches greet.js with its apply_patch
 * tool, runs the tests through exec_command, and its PreToolUse hook — Handoff's real `policy hook` —
 * denies `rm -rf .git/hooks`. Codex's own output omits the blocked call; the hook's record has it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox, type GitSandbox } from "../helpers/git.js";
import { responsesApi } from "../helpers/model-dialects.js";
import { startModelServer, type ScriptReply, type ScriptTurn } from "../helpers/model-server.js";
import { codexEnv } from "../helpers/vendor-clis.js";
import { setupRepo } from "../runs/cli-fixtures.js";
import {
  DENIED_COMMAND,
  GREET_AFTER,
  expectDenyRunEvidence,
  expectDoneRunEvidence,
  realCliFiles,
  type RunJson,
} from "./real-cli-fixtures.js";

/** The shipped codex agent's runtime (adapter, env names), a model with the classic tools, no push. */
const AGENT = {
  name: "codex-coder",
  displayName: "Codex coder",
  description: "Codex CLI under test",
  role: "coder",
  runtime: { adapter: "codex", model: "gpt-5.5", env: ["OPENAI_API_KEY", "OPENAI_BASE_URL"], maxTurns: 10 },
  behavior: {
    systemPromptPath: "prompts/system.md",
    completionType: "externalState",
    completionConfig: {
      maxIterations: 2,
      validators: [{ validator: "tests-pass" }, { validator: "git-clean" }],
    },
    permissionMode: "acceptEdits",
  },
  finalize: { autoMerge: false, push: false, remote: "origin", createPr: false },
};

const PATCH = [
  "*** Begin Patch",
  "*** Update File: greet.js",
  "@@",
  "-module.exports = () => 'hi';",
  "+module.exports = () => 'hello';",
  "*** End Patch",
  "",
].join("\n");

function script(seen: string[]): ScriptTurn[] {
  const exec = (cmd: string): ScriptReply => ({
    content: [{ type: "tool_use", name: "exec_command", input: { cmd } }],
  });
  return [
    exec("cat greet.js"),
    (ctx) => {
      seen.push(`read: ${ctx.toolResults[0]?.content ?? ""}`);
      return { content: [{ type: "custom_tool", name: "apply_patch", input: PATCH }] };
    },
    (ctx) => {
      seen.push(`edit: ${ctx.toolResults[0]?.content ?? ""}`);
      return exec("node test.js");
    },
    (ctx) => {
      seen.push(`tests: ${ctx.toolResults[0]?.content ?? ""}`);
      return { content: [{ type: "tool_use", name: "exec_command", input: { cmd: DENIED_COMMAND } }] };
    },
    (ctx) => {
      seen.push(`denied: ${ctx.toolResults[0]?.content ?? ""}`);
      return { content: [{ type: "text", text: "Done: greet() returns hello and the tests pass." }] };
    },
  ];
}

async function runWithCodex(sb: GitSandbox, stopOnDeny: boolean) {
  const repo = await setupRepo(sb, realCliFiles(AGENT, stopOnDeny));
  const seen: string[] = [];
  const server = await startModelServer(script(seen), { dialect: responsesApi });
  try {
    const env = await codexEnv(sb.root, server.url);
    const result = await runCli(["run", "--issue", "21", "--agent", AGENT.name, "--json"], {
      cwd: repo,
      env,
    });
    return { repo, seen, server, result, out: JSON.parse(result.stdout || "{}") as RunJson };
  } finally {
    await server.close();
  }
}

describe("handoff run with the real Codex CLI", () => {
  it("patches the file, runs the tests, is denied by Handoff's hook, and finishes done", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, seen, server, result, out } = await runWithCodex(sb, false);
      expect(server.errors).toEqual([]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      // The endpoint came from OPENAI_BASE_URL, the key from OPENAI_API_KEY (as a bearer token).
      expect(server.turns[0]?.path).toBe("/v1/responses");
      expect(server.turns[0]?.headers.authorization).toBe("Bearer sk-openai-test-dummy-key-0000");
      // The real CLI ran the tools for real; the hook's deny reason is what the model was told.
      expect(seen[0]).toContain("module.exports = () => 'hi'");
      expect(seen[2]).toContain("tests passed");
      expect(seen[3]).toMatch(
        /handoff policy denied this command \((default_action|deny\[\d+\]|write-path)\)/,
      );
      expect(await readFile(join(repo, ".worktrees", "issue-21", "greet.js"), "utf8")).toBe(GREET_AFTER);
      await expectDoneRunEvidence(sb, repo, out, AGENT.name, "sk-openai-test-dummy-key-0000");
      // The hook judged the patch too (apply_patch writes inside write_paths).
      const ledger = (await readFile(out.ledger, "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(ledger).toContainEqual(
        expect.objectContaining({
          kind: "tool_call",
          decision: expect.objectContaining({ rule: "write-path" }),
        }),
      );
    });
  }, 180_000);

  it("tells the next iteration the denied command with its rule, and the issue's labels", async () => {
    await withGitSandbox(async (sb) => {
      const files = realCliFiles(AGENT, false);
      const issue = JSON.parse(files[".handoff/issues/21.json"]!) as Record<string, unknown>;
      files[".handoff/issues/21.json"] = JSON.stringify({ ...issue, labels: ["bug", "agent:codex"] });
      const repo = await setupRepo(sb, files);
      const prompts: string[] = [];
      const server = await startModelServer(
        [
          { content: [{ type: "tool_use", name: "exec_command", input: { cmd: DENIED_COMMAND } }] },
          { content: [{ type: "text", text: "I could not clean up." }] },
          (ctx) => {
            prompts.push(JSON.stringify(ctx.request.input));
            return { content: [{ type: "text", text: "Nothing more to do." }] };
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
        const out = JSON.parse(result.stdout) as RunJson;
        expect(out.end_reason).toBe("budget_exhausted");
        expect(server.errors).toEqual([]);
      } finally {
        await server.close();
      }
      expect(prompts).toHaveLength(1);
      expect(prompts[0]).toContain("Labels: bug, agent:codex");
      expect(prompts[0]).toContain("Commands Handoff's policy denied");
      expect(prompts[0]).toContain(`${DENIED_COMMAND}\\n  denied by write-path:`);
    });
  }, 180_000);

  it("with stop_on_deny the hook's denial ends the run as deny", async () => {
    await withGitSandbox(async (sb) => {
      const { repo, out, result } = await runWithCodex(sb, true);
      expect(result.code).toBe(1);
      await expectDenyRunEvidence(sb, repo, out, AGENT.name);
    });
  }, 180_000);
});
