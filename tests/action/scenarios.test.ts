import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TOKEN, withActionFixture } from "../helpers/action.js";
import { commandAgent, playbookFile } from "../runs/cli-fixtures.js";

const BRANCH = "handoff/issue-7-fix-the-greeting";
const MARKER = "<!-- handoff:evidence issue=7 -->";
const INPUTS = { mode: "run", issue: "7", agent: "fixer", "github-token": TOKEN };
const PLAYBOOK = playbookFile(
  "process.exit(require('fs').readFileSync('greeting.txt', 'utf8') === 'hello\\n' ? 0 : 1)",
);

function files(script: string): Record<string, string> {
  return { ...commandAgent("fixer", script), ...PLAYBOOK, "greeting.txt": "helo\n" };
}
const SLOW = "require('fs').writeFileSync('wip.txt', 'half done\\n'); setTimeout(Date.now, 60000)";
const FIX =
  "const fs = require('fs'); fs.writeFileSync('greeting.txt', 'hello\\n'); fs.writeFileSync('prompt.txt', fs.readFileSync(process.argv[1], 'utf8'))";

describe("the action's scenarios (dist/action.js as a child process)", () => {
  it("a review run gives the agent the review's body and its line comments, and updates the same PR", async () => {
    await withActionFixture(files(FIX), async (f) => {
      f.api.addIssue(7, { title: "Fix the greeting", body: "It says helo." });
      const first = await f.run("main", INPUTS);
      expect(first.code, first.stderr).toBe(0);
      const review = f.api.addReview(1000, {
        state: "CHANGES_REQUESTED",
        body: "Close, but greet the world.",
        user: "reviewer1",
        comments: [
          { id: 9001, body: "Say hello world here.", path: "greeting.txt", line: 1, user: "reviewer1" },
        ],
      });
      const second = await f.run("main", { ...INPUTS, reason: "review", "review-id": String(review.id) });
      expect(second.code, second.stdout + second.stderr).toBe(0);
      const prompt = await f.sb.git(f.bare, "show", `${BRANCH}:prompt.txt`);
      expect(prompt).toContain("Close, but greet the world.");
      expect(prompt).toContain("greeting.txt:1");
      expect(prompt).toContain("Say hello world here.");
      expect(f.api.pulls).toHaveLength(1);
      expect(second.outputs["pr-number"]).toBe("1000");
      expect(f.api.problems).toEqual([]);
    });
  });

  it("rollback: backup ref and lease-protected push, tests run, before and after on the issue and PR", async () => {
    await withActionFixture(files(FIX), async (f) => {
      f.api.addIssue(7, { title: "Fix the greeting" });
      const run = await f.run("main", INPUTS);
      expect(run.code, run.stderr).toBe(0);
      const before = await f.sb.git(f.bare, "rev-parse", BRANCH);
      const first = await f.sb.git(f.bare, "rev-parse", "handoff/checkpoint/7/1^{commit}");
      const rollback = await f.run("main", {
        mode: "rollback",
        issue: "7",
        checkpoint: "handoff/checkpoint/7/1",
        "github-token": TOKEN,
      });
      // The checkpoint is from before the fix, so the tests fail afterwards, and the step says so.
      expect(rollback.code).toBe(1);
      expect(rollback.stdout).toContain("the tests failed");
      expect(await f.sb.git(f.bare, "rev-parse", BRANCH)).toBe(first);
      const backups = await f.sb.git(
        f.bare,
        "for-each-ref",
        "--format=%(objectname)",
        "refs/handoff/backup/",
      );
      expect(backups).toBe(before);
      expect(rollback.outputs).toMatchObject({
        branch: BRANCH,
        checkpoint: "handoff/checkpoint/7/1",
        "pr-number": "1000",
      });
      const reports = f.api.comments.filter((c) => c.body.includes("Handoff rollback"));
      expect(reports.map((c) => c.issue).sort((a, b) => a - b)).toEqual([7, 1000]);
      for (const c of reports) {
        expect(c.body).toContain(before);
        expect(c.body).toContain(first);
        expect(c.body).toContain("❌ tests failed");
        expect(c.body).toContain("lease-protected");
      }
      expect(rollback.summary).toContain(first);

      // A second rollback to the same checkpoint has nothing to undo: the same two comments say so.
      const again = await f.run("main", {
        mode: "rollback",
        issue: "7",
        checkpoint: "handoff/checkpoint/7/1",
        "github-token": TOKEN,
      });
      expect(again.outputs.branch, again.stdout).toBe(BRANCH);
      const sticky = f.api.comments.filter((c) => c.body.includes("Handoff rollback"));
      expect(sticky.map((c) => c.id)).toEqual(reports.map((c) => c.id));
      for (const c of sticky) {
        expect(c.body).toContain(`<!-- handoff:rollback branch=${BRANCH} -->`);
        expect(c.body).toContain("nothing to undo");
      }
      const patches = f.api.calls.filter(
        (c) => c.method === "PATCH" && JSON.stringify(c.body).includes("Handoff rollback"),
      );
      expect(patches).toHaveLength(2);
      expect(f.api.problems).toEqual([]);
    });
  });

  it("in place by default: the job's checkout is switched to the issue branch; in-place false uses a worktree", async () => {
    await withActionFixture(files(FIX), async (f) => {
      f.api.addIssue(7, { title: "Fix the greeting" });
      const run = await f.run("main", INPUTS);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(await f.sb.git(f.workspace, "symbolic-ref", "--short", "HEAD")).toBe(BRANCH);
      expect(existsSync(join(f.workspace, ".worktrees"))).toBe(false);
      expect(await f.sb.git(f.workspace, "show", "HEAD:greeting.txt")).toBe("hello");
      // The core's report: the playbook's steps and the diff against origin/main (greeting and prompt).
      const evidence = f.api.comments.find((c) => c.issue === 7 && c.body.includes(MARKER))!.body;
      expect(evidence).toMatch(/\| 1 \| test \| [^|]+ \| 0 \|/);
      expect(evidence).toContain("**Diff** 2 files changed, +6 −1");

      f.api.addIssue(8, { title: "Another one" });
      await f.sb.git(f.workspace, "checkout", "--quiet", "main");
      const worktree = await f.run("main", { ...INPUTS, issue: "8", "in-place": "false" });
      expect(worktree.code, worktree.stdout + worktree.stderr).toBe(0);
      expect(existsSync(join(f.workspace, ".worktrees", "issue-8"))).toBe(true);
      expect(await f.sb.git(f.workspace, "symbolic-ref", "--short", "HEAD")).toBe("main");
      expect(f.api.problems).toEqual([]);
    });
  });

  it("refuses a dirty checkout in place, naming it, and leaves every file and ref as it was", async () => {
    await withActionFixture(files(FIX), async (f) => {
      f.api.addIssue(7, { title: "Fix the greeting" });
      await writeFile(join(f.workspace, "greeting.txt"), "edited by an earlier step\n");
      await writeFile(join(f.workspace, "build.log"), "untracked\n");
      const refs = await f.sb.refs(f.workspace);
      const remote = await f.sb.refs(f.bare);
      const result = await f.run("main", INPUTS);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`::error::the checkout ${f.workspace} has uncommitted changes`);
      expect(result.stdout).toContain("nothing was changed");
      expect(await f.sb.refs(f.workspace)).toBe(refs);
      expect(await f.sb.refs(f.bare)).toBe(remote);
      expect(await readFile(join(f.workspace, "greeting.txt"), "utf8")).toBe("edited by an earlier step\n");
      expect(await readFile(join(f.workspace, "build.log"), "utf8")).toBe("untracked\n");
      expect(f.api.pulls).toHaveLength(0);
      expect(f.api.problems).toEqual([]);
    });
  });

  it("refuses a checkpoint input that is not a checkpoint tag, naming the input, and changes nothing", async () => {
    await withActionFixture(files(FIX), async (f) => {
      const refs = await f.sb.refs(f.bare);
      const result = await f.run("main", {
        mode: "rollback",
        issue: "7",
        checkpoint: "main; rm -rf /",
        "github-token": TOKEN,
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("::error::input `checkpoint` must be a checkpoint tag");
      expect(await f.sb.refs(f.bare)).toBe(refs);
      expect(f.api.calls).toEqual([]);
    });
  });

  it("a failing agent: the evidence comment and the outputs say how the run ended", async () => {
    await withActionFixture(files("process.stderr.write('cannot do it\\n'); process.exit(3)"), async (f) => {
      f.api.addIssue(7, { title: "Fix the greeting" });
      const result = await f.run("main", INPUTS);
      expect(result.code).toBe(1);
      const reason = result.outputs["end-reason"];
      expect(reason).toBeDefined();
      expect(reason).not.toBe("done");
      expect(result.stdout).toContain(`::error::run ended ${reason}`);
      const comment = f.api.comments.find((c) => c.issue === 7 && c.body.includes(MARKER));
      expect(comment?.body).toContain(`\`${reason}\``);
      expect(comment?.body).not.toContain("⏳ running");
      expect(result.outputs["evidence-comment-url"]).toMatch(/issuecomment-/);
      expect(f.api.problems).toEqual([]);
    });
  });

  it("a cancelled run: SIGTERM ends it stopped, the work in progress is pushed, the comment is final", async () => {
    await withActionFixture(files(SLOW), async (f) => {
      f.api.addIssue(7, { title: "Fix the greeting" });
      const child = await f.start("main", INPUTS);
      // In place: the agent works in the job's checkout itself.
      const started = join(f.workspace, "wip.txt");
      for (let i = 0; i < 300 && !existsSync(started); i++) await new Promise((r) => setTimeout(r, 100));
      expect(existsSync(started), child.stdout()).toBe(true);
      process.kill(child.pid, "SIGTERM");
      const result = await child.done;
      expect(result.outputs["end-reason"], result.stdout + result.stderr).toBe("stopped");
      expect(result.code).toBe(1);
      expect(await f.sb.git(f.bare, "show", `${BRANCH}:wip.txt`)).toBe("half done");
      const comment = f.api.comments.find((c) => c.issue === 7 && c.body.includes(MARKER));
      expect(comment?.body).toContain("`stopped`");
      expect(f.api.problems).toEqual([]);
    });
  }, 60_000);

  it("a GitHub outage on the PR call: retried; when it persists the run ends fatal_error with the branch pushed", async () => {
    await withActionFixture(files(FIX), async (f) => {
      f.api.addIssue(7, { title: "Fix the greeting" });
      f.api.fail("POST", /\/pulls$/, 100, 503);
      const down = await f.run("main", INPUTS);
      expect(down.code).toBe(1);
      expect(down.outputs["end-reason"]).toBe("fatal_error");
      expect(down.stdout).toContain("the work is safe on " + BRANCH);
      expect(await f.sb.git(f.bare, "show", `${BRANCH}:greeting.txt`)).toBe("hello");
      expect(down.summary).toContain("the pull request could not be published");
      expect(
        f.api.calls.filter((c) => c.method === "POST" && c.path.endsWith("/pulls")).length,
      ).toBeGreaterThan(1);
      expect(f.api.pulls).toHaveLength(0);

      // GitHub answers again (after one more 502, which is retried): the next run opens the PR.
      f.api.heal();
      f.api.fail("POST", /\/pulls$/, 1, 502);
      const back = await f.run("main", INPUTS);
      expect(back.code, back.stdout).toBe(0);
      expect(back.outputs["pr-number"]).toBe("1000");
      expect(f.api.pulls).toHaveLength(1);
      expect(f.api.problems).toEqual([]);
    });
  }, 90_000);

  it("an issues: labeled event from someone without write permission is refused in a comment", async () => {
    await withActionFixture(files(FIX), async (f) => {
      f.api.addIssue(7, { title: "Fix the greeting" });
      f.api.permissions.set("stranger", "read");
      const event = join(f.runnerTemp, "labeled.json");
      await import("node:fs/promises").then((fs) =>
        fs.writeFile(
          event,
          JSON.stringify({
            action: "labeled",
            label: { name: "agent:fixer" },
            issue: { number: 7 },
            sender: { login: "stranger" },
          }),
        ),
      );
      const result = await f.run(
        "main",
        { mode: "run", issue: "7", "github-token": TOKEN },
        { GITHUB_EVENT_NAME: "issues", GITHUB_EVENT_PATH: event },
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        "::error::@stranger needs write permission on this repository to do that (has read).",
      );
      expect(f.api.comments.map((c) => c.body)).toEqual([
        expect.stringContaining("Handoff did not start a run: @stranger needs write permission"),
      ]);
      expect(await f.sb.git(f.bare, "for-each-ref", "--format=%(refname)", "refs/heads/handoff/")).toBe("");
      expect(f.api.problems).toEqual([]);
    });
  });

  it("the post step puts a run that never finished in a final state", async () => {
    await withActionFixture(files(FIX), async (f) => {
      f.api.addIssue(7, { title: "Fix the greeting" });
      const plan = await f.run("plan", INPUTS);
      expect(plan.code).toBe(0);
      // main was killed before it could start: the post step has nothing to say.
      const idle = await f.run(
        "post",
        { mode: "run", issue: "7", "github-token": TOKEN },
        { HANDOFF_MAIN_OUTCOME: "cancelled" },
      );
      expect(idle.stdout).toContain("nothing to finalise");
      // main got as far as the "running" comment, then the job was cancelled (SIGKILL: no wrap-up).
      const slow = await f.start("main", INPUTS);
      for (let i = 0; i < 300 && !f.api.comments.some((c) => c.body.includes("⏳ running")); i++)
        await new Promise((r) => setTimeout(r, 50));
      process.kill(slow.pid, "SIGKILL");
      await slow.done;
      const post = await f.run(
        "post",
        { mode: "run", issue: "7", "github-token": TOKEN },
        { HANDOFF_MAIN_OUTCOME: "cancelled" },
      );
      expect(post.code).toBe(0);
      const comments = f.api.comments.filter((c) => c.body.includes(MARKER));
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toContain("cancelled");
      expect(comments[0]!.body).toContain(
        "https://github.com/octo-org/app/actions/runs/4242".replace("https://github.com", f.gitServer.url),
      );
      expect(f.api.problems).toEqual([]);
    });
  });
});
