/**
 * The action's run mode end to end with the real Claude Code CLI (the pinned devDependency) against a
 * scripted model server: the issue comes from the recording GitHub API, the CLI reads the file, edits
 * it and runs the tests through its Bash tool (asking Handoff's policy hook), and the action pushes the
 * fix, opens the PR and posts the evidence. Only the model is scripted.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TOKEN, withActionFixture } from "../helpers/action.js";
import { claudeEnv } from "../helpers/claude.js";
import { type ScriptTurn, startModelServer } from "../helpers/model-server.js";
import { claudeCoder } from "../cli/real-cli-fixtures.js";

const AGENT = claudeCoder({ maxTurns: 10, maxIterations: 2 });

const FILES = {
  ".handoff/agents/claude-coder/agent.json": JSON.stringify(AGENT, null, 2),
  ".handoff/agents/claude-coder/prompts/system.md": "You are a careful coder. Make the tests pass.\n",
  ".handoff/policy.yml": "default_action: deny\nallow:\n  - program: node\n    args: [test.js]\n",
  ".handoff/playbook.yml":
    'name: tests\nsteps:\n  - name: unit\n    command: ["node", "test.js"]\n    timeout_seconds: 60\n',
  "greet.js": "module.exports = () => 'hi';\n",
  "test.js":
    "const greet = require('./greet.js');\nif (greet() !== 'hello') { console.error('FAIL: got ' + greet()); process.exit(1); }\nconsole.log('tests passed');\n",
};

function script(worktree: string, seen: string[]): ScriptTurn[] {
  const file = join(worktree, "greet.js");
  return [
    { content: [{ type: "tool_use", name: "Read", input: { file_path: file } }] },
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
    () => ({
      content: [
        { type: "tool_use", name: "Bash", input: { command: "node test.js", description: "run the tests" } },
      ],
    }),
    (ctx) => {
      seen.push(`tests: ${ctx.toolResults[0]?.content ?? ""}`);
      return { content: [{ type: "text", text: "Fixed: greet() returns hello and the tests pass." }] };
    },
  ];
}

describe("the action with the real Claude Code CLI", () => {
  it("fixes a failing test end to end: branch pushed, PR opened, evidence posted", async () => {
    await withActionFixture(FILES, async (f) => {
      f.api.addIssue(21, { title: "Greet with hello", body: "greet() must return 'hello'." });
      const seen: string[] = [];
      const server = await startModelServer(script(f.workspace, seen));
      try {
        const env = await claudeEnv(f.sb.root, server.url);
        const result = await f.run(
          "main",
          { mode: "run", issue: "21", agent: "claude-coder", "github-token": TOKEN },
          env,
        );
        expect(server.errors).toEqual([]);
        expect(result.code, result.stdout + result.stderr).toBe(0);
        expect(seen[0]).toContain("module.exports = () => 'hi'");
        expect(seen[1]).toContain("tests passed");
        const branch = "handoff/issue-21-greet-with-hello";
        expect(result.outputs).toMatchObject({ "end-reason": "done", branch, "pr-number": "1000" });
        expect(await f.sb.git(f.bare, "show", `${branch}:greet.js`)).toBe("module.exports = () => 'hello';");
        const comment = f.api.comments.find(
          (c) => c.issue === 21 && c.body.includes("<!-- handoff:evidence issue=21 -->"),
        );
        expect(comment?.body).toContain("`done`");
        expect(f.api.problems).toEqual([]);
        // Neither the API key nor the token reached anything posted.
        for (const text of [JSON.stringify(f.api.calls.map((c) => c.body)), result.summary]) {
          expect(text).not.toContain("sk-ant-test-dummy-key-0000");
          expect(text).not.toContain(TOKEN);
        }
      } finally {
        await server.close();
      }
    });
  }, 180_000);
});
