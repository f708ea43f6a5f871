import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ActionFixture, TOKEN, withActionFixture } from "../helpers/action.js";
import { commandAgent, playbookFile } from "../runs/cli-fixtures.js";

/** The agent fixes the bug: it writes greeting.txt, and the prompt it got, for the test to read. */
const FIXER = commandAgent(
  "fixer",
  "const fs = require('fs'); fs.writeFileSync('greeting.txt', 'hello\\n'); fs.writeFileSync('prompt.txt', fs.readFileSync(process.argv[1], 'utf8'))",
);
const FILES = {
  ...FIXER,
  ...playbookFile("process.exit(require('fs').readFileSync('greeting.txt', 'utf8') === 'hello\\n' ? 0 : 1)"),
  "greeting.txt": "helo\n",
};
const MARKER = "<!-- handoff:evidence issue=7 -->";
const INPUTS = { mode: "run", issue: "7", agent: "fixer", "github-token": TOKEN };

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The runner consumes `::add-mask::` commands (that is how the token is masked); they are never shown. */
function shown(log: string): string {
  expect(log).toContain(`::add-mask::${TOKEN}`);
  return log
    .split("\n")
    .filter((line) => !line.startsWith("::add-mask::"))
    .join("\n");
}

/** Proves no form of the token reached anything Handoff wrote or sent. */
async function expectNoSecret(f: ActionFixture, texts: string[]): Promise<void> {
  const forms = [TOKEN, Buffer.from(`x-access-token:${TOKEN}`).toString("base64")];
  const recorded = [
    ...texts,
    JSON.stringify(f.api.calls.map((c) => ({ ...c, authorization: undefined }))),
    JSON.stringify(f.api.comments),
    JSON.stringify(f.api.pulls),
    await readFile(join(f.workspace, ".git", "config"), "utf8"),
  ];
  for (const file of await filesUnder(join(f.workspace, ".git", "handoff")))
    recorded.push(await readFile(file, "utf8"));
  for (const text of recorded) for (const form of forms) expect(text).not.toContain(form);
}

function issueSetup(f: ActionFixture): void {
  f.api.addIssue(7, { title: "Fix the greeting", body: "It says helo." });
  f.api.addComment(7, "please hurry", "rev");
}

describe("the action's run mode (dist/action.js as a child process)", () => {
  it("first run: branch and tags pushed, PR opened, evidence comment posted, outputs set; a second run updates them", async () => {
    await withActionFixture(FILES, async (f) => {
      issueSetup(f);
      const plan = await f.run("plan", INPUTS);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      expect(plan.outputs["cli-needed"]).toBe("false");
      expect(plan.outputs["evidence-dir"]).toBe(join(f.workspace, ".git", "handoff", "evidence"));

      const first = await f.run("main", INPUTS);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      const branch = "handoff/issue-7-fix-the-greeting";
      expect(first.outputs).toMatchObject({
        "end-reason": "done",
        branch,
        "pr-number": "1000",
        "pr-url": "https://github.com/octo-org/app/pull/1000",
        checkpoint: expect.stringMatching(/^handoff\/checkpoint\/7\/\d+$/),
      });
      expect(first.outputs["evidence-comment-url"]).toMatch(/issuecomment-\d+$/);
      // Branch and checkpoint tags are on the served repository.
      const refs = await f.sb.git(f.bare, "for-each-ref", "--format=%(refname)");
      expect(refs).toContain(`refs/heads/${branch}`);
      expect(refs).toContain(`refs/tags/${first.outputs.checkpoint}`);
      expect(await f.sb.git(f.bare, "show", `${branch}:greeting.txt`)).toBe("hello");
      // One PR, with the issue closing line, the starter asked to review.
      expect(f.api.pulls).toHaveLength(1);
      expect(f.api.pulls[0]).toMatchObject({ head: branch, base: "main", reviewers: ["octocat"] });
      expect(f.api.pulls[0]!.body).toContain("Closes #7");
      // The prompt carried the issue through the forge: title, body, the people's comments.
      const prompt = await f.sb.git(f.bare, "show", `${branch}:prompt.txt`);
      expect(prompt).toContain("Fix the greeting");
      expect(prompt).toContain("It says helo.");
      expect(prompt).toContain("please hurry");
      // One evidence comment on the issue and one on the PR, in the final state.
      const evidence = () => f.api.comments.filter((c) => c.body.includes(MARKER));
      expect(
        evidence()
          .map((c) => c.issue)
          .sort((a, b) => a - b),
      ).toEqual([7, 1000]);
      expect(evidence()[0]!.body).toContain("`done`");
      expect(first.summary).toContain("Handoff run");
      expect(first.summary).toContain("done");

      const firstIds = evidence().map((c) => c.id);
      const second = await f.run("main", INPUTS);
      expect(second.code, second.stdout + second.stderr).toBe(0);
      expect(second.outputs).toMatchObject({ "end-reason": "done", branch, "pr-number": "1000" });
      expect(f.api.pulls).toHaveLength(1);
      expect(evidence().map((c) => c.id)).toEqual(firstIds);
      // Updated in place with the second run's evidence (each run has its own id).
      expect(second.summary.trim()).not.toBe(first.summary.trim());
      for (const comment of evidence()) expect(comment.body).toContain(second.summary.trim());

      // The post step has nothing to do after a finished run.
      const post = await f.run(
        "post",
        { mode: "run", issue: "7", "github-token": TOKEN },
        { HANDOFF_MAIN_OUTCOME: "success" },
      );
      expect(post.code).toBe(0);
      expect(post.stdout).toContain("nothing to finalise");

      expect(f.api.problems).toEqual([]);
      expect(f.gitServer.requests.length).toBeGreaterThan(0);
      expect(f.gitServer.requests.filter((r) => !r.authorized)).toEqual([]);
      await expectNoSecret(f, [
        shown(first.stdout),
        first.stderr,
        shown(second.stdout),
        second.stderr,
        first.summary,
        JSON.stringify(first.outputs),
      ]);
    });
  });
});
