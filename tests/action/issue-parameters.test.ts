/**
 * The Action's `run` mode takes an agent's parameters from the issue body's ```handoff block, as the
 * local forge's dispatcher does (src/flows/agent-parameters.ts), with the `parameters` input on top;
 * a block whose author may not start runs is refused before anything runs. dist/action.js runs as a
 * child process against the recording GitHub server.
 */
import { describe, expect, it } from "vitest";
import { TOKEN, withActionFixture } from "../helpers/action.js";
import { playbookFile } from "../runs/cli-fixtures.js";

const BRANCH = "handoff/issue-7-fix-the-greeting";
const FILES = {
  ...playbookFile("process.exit(require('fs').readFileSync('greeting.txt', 'utf8') === 'hello\\n' ? 0 : 1)"),
  "greeting.txt": "helo\n",
  "greeting.fixed": "hello\n",
};
const BODY = "It says helo.\n\n```handoff\nscript: cp greeting.fixed greeting.txt\n```\n";
const INPUTS = { mode: "run", issue: "7", agent: "shell", "github-token": TOKEN };

describe("the action's run mode with the issue's ```handoff block", () => {
  it("runs the shell agent's script from the block; the parameters input wins per name", async () => {
    await withActionFixture(FILES, async (f) => {
      f.api.addIssue(7, { title: "Fix the greeting", body: BODY, user: "alice" });
      f.api.permissions.set("alice", "write");
      const run = await f.run("main", INPUTS);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(await f.sb.git(f.bare, "show", `${BRANCH}:greeting.txt`)).toBe("hello");

      // The input overrides the block's script: the second run copies the fixed greeting aside instead.
      const again = await f.run("main", { ...INPUTS, parameters: "script: cp greeting.txt greeting.bak" });
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(await f.sb.git(f.bare, "show", `${BRANCH}:greeting.bak`)).toBe("hello");
      expect(f.api.problems).toEqual([]);
    });
  });

  it("refuses a block written by someone without write permission, naming it, and pushes nothing", async () => {
    await withActionFixture(FILES, async (f) => {
      f.api.addIssue(7, { title: "Fix the greeting", body: BODY, user: "tia" });
      f.api.permissions.set("tia", "triage");
      const run = await f.run("main", INPUTS);
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toContain(
        "issue #7's ```handoff block is not used: it is written by its author, and @tia needs write permission",
      );
      expect(await f.sb.gitResult(f.bare, "rev-parse", "--verify", "--quiet", BRANCH)).toMatchObject({
        code: 1,
      });
      expect(f.api.pulls).toEqual([]);
      expect(f.api.problems).toEqual([]);
    });
  });
});
