/**
 * Offline, the same loop: `handoff issue label N agent:<name>` and `handoff issue comment N --body
 * /rollback` on the local forge run the flows the app runs on the webhook, and the local forge's
 * dispatch runs the workflow's work at once — the runner on the issue's branch, its PR and evidence,
 * the rollback and its tests — through the built CLI, with real git and real child processes.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultAgentRunsConfig } from "../../src/config/agent-runs.js";
import { startFromLabel } from "../../src/flows/agent-runs/label.js";
import { LocalForge } from "../../src/forge/index.js";
import { parseStatus, statusMarker } from "../../src/flows/agent-runs/status.js";
import { runCli } from "../helpers/cli.js";
import { type GitSandbox, withGitSandbox } from "../helpers/git.js";

const SCRIPT = "cp release-notes.md CHANGELOG.md";
const BODY = `Copy the notes into the changelog.\n\n\`\`\`handoff\nscript: ${SCRIPT}\n\`\`\`\n`;
/** After the agent, CHANGELOG.md must exist: true on the agent's commit, false after a rollback before it. */
const PLAYBOOK = `name: changelog\nsteps:\n  - name: CHANGELOG.md exists\n    command: ["test", "-f", "CHANGELOG.md"]\n`;
const env = { HANDOFF_USER: "alice" };

async function repoWithNotes(sb: GitSandbox): Promise<string> {
  return sb.createRepo("repo", {
    files: {
      "release-notes.md": "# Release notes\n\n- faster\n",
      ".gitignore": ".worktrees/\n",
      ".handoff/playbook.yml": PLAYBOOK,
    },
  });
}

async function status(forge: LocalForge, issue: number) {
  const comment = (await forge.listComments(issue)).find((c) => c.body.includes(statusMarker(issue)));
  return parseStatus(comment?.body ?? "");
}

describe("handoff issue label|comment run the whole loop on the local forge", () => {
  it("label → run → branch → PR → evidence → /rollback on the PR, the status final at each end", () =>
    withGitSandbox(async (sb) => {
      const repo = await repoWithNotes(sb);
      const main = await sb.head(repo, "main");
      await runCli(["issue", "create", "--title", "Publish the notes", "--body", BODY], { cwd: repo, env });

      const label = await runCli(["issue", "label", "1", "agent:shell"], { cwd: repo, env });
      expect(label.code, label.stderr).toBe(0);
      expect(label.stdout).toMatch(
        /^agent:shell: dispatched the agent workflow for #1; ended success \(run \d+, pull request file:\/\/\S+\/issues\/2\.json\)\n#1: agent:shell\n$/,
      );
      // Progress on stderr: the run's start, its iteration and steps, its PR and evidence, its end.
      expect(label.stderr).toMatch(
        /handoff: handoff-agent\.yml run \d+: started \(issue=1, agent=shell, reason=label\)/,
      );
      expect(label.stderr).toMatch(/run \d+: step CHANGELOG\.md exists passed/);
      expect(label.stderr).toMatch(/run \d+: pull request #2 opened: file:/);
      expect(label.stderr).toMatch(/run \d+: success\n$/);

      const forge = await LocalForge.open(repo);
      const [pr] = await forge.listPullRequests();
      expect(pr).toMatchObject({
        number: 2,
        base: "main",
        head: expect.stringMatching(/^handoff\/issue-1-/),
      });
      const branch = pr!.head;
      expect(await sb.git(repo, "show", `${branch}:CHANGELOG.md`)).toBe("# Release notes\n\n- faster");
      expect(await sb.head(repo, "main")).toBe(main);
      const [run] = await forge.listWorkflowRuns({ workflow: "handoff-agent.yml" });
      expect(run).toMatchObject({ status: "completed", conclusion: "success" });
      // The workflow_run flow ended the status, with the PR and the evidence, and took handoff:running off.
      const final = await status(forge, 1);
      expect(final).toMatchObject({ state: "success", runId: run!.id, prUrl: pr!.url });
      const evidence = (await forge.listComments(1)).find((c) =>
        c.body.includes("<!-- handoff:evidence issue=1 -->"),
      );
      expect(final?.evidenceUrl).toBe(evidence?.url);
      expect(evidence?.body).toContain("✅ done");
      expect(
        (await forge.listComments(2)).some((c) => c.body.includes("<!-- handoff:evidence issue=1 -->")),
      ).toBe(true);
      expect((await forge.getIssue(1)).labels).toEqual(["agent:shell"]);

      // /rollback on the PR: the branch goes back before the agent's commit, the old tip is kept, the tests
      // run and rightly fail (CHANGELOG.md is gone), so the rollback run fails, and says so on both.
      const before = await sb.head(repo, branch);
      const rollback = await runCli(["issue", "comment", "2", "--body", "/rollback handoff/checkpoint/1/1"], {
        cwd: repo,
        env,
      });
      expect(rollback.code).toBe(1);
      expect(rollback.stdout).toMatch(
        new RegExp(`/rollback: dispatched handoff-rollback\\.yml for ${branch}; run \\d+ ended failure\\n$`),
      );
      expect(rollback.stderr).toContain(`rolled back ${branch} to handoff/checkpoint/1/1`);
      expect(rollback.stderr).toMatch(
        /failure: rolled back \S+ to handoff\/checkpoint\/1\/1, but the tests failed\n$/,
      );
      expect(await sb.head(repo, branch)).toBe(
        await sb.git(repo, "rev-parse", "handoff/checkpoint/1/1^{commit}"),
      );
      const backups = await sb.git(
        repo,
        "for-each-ref",
        "--format=%(objectname) %(refname)",
        "refs/handoff/backup/",
      );
      expect(backups).toMatch(new RegExp(`^${before} refs/handoff/backup/${branch}/`));
      for (const target of [1, 2]) {
        const report = (await forge.listComments(target)).find((c) =>
          c.body.includes("### Handoff rollback"),
        );
        expect(report?.body).toContain(`| Before | \`${before}\` |`);
        expect(report?.body).toContain("❌ tests failed (CHANGELOG.md exists failed)");
      }
      const [rolled] = await forge.listWorkflowRuns({ workflow: "handoff-rollback.yml" });
      expect(rolled).toMatchObject({ status: "completed", conclusion: "failure" });
      const record = JSON.parse(await readFile(new URL(rolled!.url), "utf8")) as { error?: string };
      expect(record.error).toMatch(/but the tests failed/);
      // The command got its 👍; the working tree and main are untouched throughout.
      expect((await forge.store.readIssue(2))?.reactions).toContainEqual(
        expect.objectContaining({ content: "+1" }),
      );
      expect(await sb.head(repo, "main")).toBe(main);
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
    }));

  it("a run that cannot start ends failure with the reason, and writes no branch", () =>
    withGitSandbox(async (sb) => {
      const repo = await repoWithNotes(sb);
      const refs = await sb.refs(repo);
      // No ```handoff block: the shell agent has no script.
      await runCli(["issue", "create", "--title", "No script"], { cwd: repo, env });
      const label = await runCli(["issue", "label", "1", "agent:shell"], { cwd: repo, env });
      expect(label.code).toBe(1);
      expect(label.stdout).toMatch(/dispatched the agent workflow for #1; ended failure \(run \d+\)/);
      expect(label.stderr).toMatch(
        /failure: agent shell: required option '--script <value>' not specified\n$/,
      );
      const forge = await LocalForge.open(repo);
      // The status comment says why, not only the run record.
      expect(await status(forge, 1)).toMatchObject({
        state: "failure",
        detail: expect.stringContaining(
          "the run failed: agent shell: required option '--script <value>' not specified",
        ),
      });
      expect((await forge.getIssue(1)).labels).toEqual(["agent:shell"]);

      // A block written by someone without write permission is not run, whoever labels the issue.
      await forge.setPermission("tia", "triage");
      await runCli(["issue", "create", "--title", "Theirs", "--body", BODY, "--as", "tia"], {
        cwd: repo,
        env,
      });
      const theirs = await runCli(["issue", "label", "2", "agent:shell"], { cwd: repo, env });
      expect(theirs.code).toBe(1);
      expect(theirs.stderr).toContain(
        "issue #2's ```handoff block is not used: it is written by its author, and @tia needs write permission",
      );
      expect(await sb.refs(repo)).toBe(refs);
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
    }));

  it("refuses a triage user's label, and /stop cancels a queued run", () =>
    withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      await runCli(["issue", "create", "--title", "Fix it"], { cwd: repo, env });
      const forge = await LocalForge.open(repo);
      await forge.setPermission("tia", "triage");
      const refused = await runCli(["issue", "label", "1", "agent:shell", "--as", "tia"], { cwd: repo, env });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain("agent:shell: refused: @tia needs write permission");
      expect(refused.stdout).toContain("#1: no labels");
      expect(await forge.listWorkflowRuns()).toEqual([]);

      // A run queued elsewhere (a forge with no dispatcher, as on a machine that only records): /stop cancels it.
      await forge.addLabels(1, ["agent:shell"]);
      const started = await startFromLabel(forge, defaultAgentRunsConfig(), {
        issue: { number: 1 },
        label: "agent:shell",
        sender: { login: forge.actor, type: "User" },
      });
      expect(started.kind).toBe("started");
      const [run] = await forge.listWorkflowRuns();
      const stop = await runCli(["issue", "comment", "1", "--body", "/stop"], { cwd: repo, env });
      expect(stop).toMatchObject({ code: 0 });
      expect(stop.stdout).toContain(`/stop: cancelled run ${run!.id}`);
      expect(await status(forge, 1)).toMatchObject({ state: "cancelled", runId: run!.id });
      expect((await forge.getIssue(1)).labels).toEqual(["agent:shell"]);
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
    }));

  it("tasks sync opens the task issues and runs the ready ones; closing both dependencies runs the third", () =>
    withGitSandbox(async (sb) => {
      const task = (id: string, deps: string[]) =>
        [
          `task_id: "${id}"`,
          "spec_name: notes",
          `title: Task ${id}`,
          "description: |",
          `  Write ${id}.txt.`,
          "",
          "  ```handoff",
          `  script: echo ${id} > ${id}.txt`,
          "  ```",
          "acceptance_criteria: []",
          `dependencies: [${deps.map((d) => `"${d}"`).join(", ")}]`,
          "required_skill: writing",
          "",
        ].join("\n");
      const repo = await sb.createRepo("repo", {
        files: {
          ".gitignore": ".worktrees/\n",
          ".github/handoff.yml": "skills:\n  writing: shell\n",
          ".handoff/tasks/a.yaml": task("a", []),
          ".handoff/tasks/b.yaml": task("b", []),
          ".handoff/tasks/c.yaml": task("c", ["a", "b"]),
        },
      });
      // The push's sync (the app's part on GitHub): three issues; a and b start, and their agents run.
      const sync = await runCli(["tasks", "sync"], { cwd: repo, env });
      expect(sync.code, sync.stderr).toBe(0);
      expect(sync.stdout).toMatch(
        /^task a: opened #1\ntask b: opened #2\ntask c: opened #3\ntask a: started shell on #1; ended success \(run \d+, pull request \S+\)\ntask b: started shell on #2; ended success/,
      );
      const forge = await LocalForge.open(repo, { actor: env.HANDOFF_USER });
      const c = 3;
      // Synced again: nothing opens, nothing starts.
      expect((await runCli(["tasks", "sync"], { cwd: repo, env })).stdout).toBe(
        "task graph: nothing to do\n",
      );

      const first = await runCli(["issue", "close", "1"], { cwd: repo, env });
      expect(first).toMatchObject({ code: 0, stdout: "closed #1\n" });
      const second = await runCli(["issue", "close", "2"], { cwd: repo, env });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(
        new RegExp(
          `^closed #2\\ntask c: started shell on #${c}; ended success \\(run \\d+, pull request file:\\S+\\)\\n$`,
        ),
      );
      const pr = (await forge.listPullRequests()).find((p) => p.head.startsWith(`handoff/issue-${c}-`));
      expect(await sb.git(repo, "show", `${pr!.head}:c.txt`)).toBe("c");
      expect((await forge.getIssue(c)).labels).toEqual(["handoff:task", "agent:shell"]);
      expect(await status(forge, c)).toMatchObject({ state: "success" });
      // Closed again (a redelivery): nothing starts twice.
      const again = await runCli(["issue", "close", "2"], { cwd: repo, env });
      expect(again.stdout).toBe("closed #2\n");
      expect((await forge.listWorkflowRuns()).map((r) => r.conclusion)).toEqual([
        "success",
        "success",
        "success",
      ]);
    }));

  it(
    "/stop from another process stops the running work, which wraps up and ends the status cancelled",
    () =>
      withGitSandbox(async (sb) => {
        // `npm test` is allowed by the default policy; this one takes far longer than the test waits.
        const repo = await sb.createRepo("repo", {
          files: {
            ".gitignore": ".worktrees/\n",
            "package.json": '{ "name": "slow", "private": true, "scripts": { "test": "sleep 120" } }\n',
          },
        });
        await runCli(
          ["issue", "create", "--title", "Slow", "--body", "```handoff\nscript: npm test\n```\n"],
          {
            cwd: repo,
            env,
          },
        );
        const label = runCli(["issue", "label", "1", "agent:shell"], { cwd: repo, env });
        const forge = await LocalForge.open(repo);
        for (let i = 0; i < 600 && (await status(forge, 1))?.state !== "running"; i++)
          await new Promise((r) => setTimeout(r, 50));
        const stop = await runCli(["issue", "comment", "1", "--body", "/stop"], { cwd: repo, env });
        expect(stop.stdout).toMatch(/\/stop: cancelled run \d+/);
        const ended = await label;
        expect(ended.code).toBe(1);
        expect(ended.stderr).toMatch(/cancelled: stopping the work\n/);
        expect(ended.stderr).toMatch(/stopped: stopped by a signal while the agent was working/);
        expect(ended.stdout).toMatch(/ended cancelled \(run \d+\)/);
        const [run] = await forge.listWorkflowRuns();
        expect(run).toMatchObject({ status: "completed", conclusion: "cancelled" });
        expect(await status(forge, 1)).toMatchObject({ state: "cancelled" });
        // The run's wrap-up kept its branch; the main worktree is untouched.
        expect(await sb.git(repo, "branch", "--list", "handoff/issue-1-*")).toMatch(/handoff\/issue-1-slow/);
        expect(await sb.git(repo, "status", "--porcelain")).toBe("");
      }),
    60_000,
  );

  it("changes requested on the PR send the agent round again with the review; an approval does nothing", () =>
    withGitSandbox(async (sb) => {
      const repo = await repoWithNotes(sb);
      await runCli(["issue", "create", "--title", "Publish the notes", "--body", BODY], { cwd: repo, env });
      expect((await runCli(["issue", "label", "1", "agent:shell"], { cwd: repo, env })).code).toBe(0);
      const evidence = join(repo, ".git", "handoff", "evidence");
      // Run ids sort by the second only: two runs in the same second sort at random, so tell them apart.
      const [firstRun] = await readdir(evidence);
      const review = await runCli(
        [
          "pr",
          "review",
          "2",
          "--request-changes",
          "--body",
          "Add a heading.",
          "--line",
          "CHANGELOG.md:1=Say which release",
        ],
        { cwd: repo, env },
      );
      expect(review.code, review.stderr).toBe(0);
      expect(review.stdout).toMatch(
        /^reviewed #2: changes requested \(review (\d+)\)\nchanges requested: dispatched shell again for #1 with this review; ended success \(run \d+, pull request \S+\/issues\/2\.json\)\n$/,
      );
      const reviewId = /review (\d+)/.exec(review.stdout)![1];
      expect(review.stderr).toContain(`started (issue=1, agent=shell, reason=review, review-id=${reviewId})`);
      expect(review.stderr).toMatch(/pull request #2 updated/);
      // The agent's prompt ends with what the reviewer asked: the summary and the line comment.
      const runs = await readdir(evidence);
      expect(runs).toHaveLength(2);
      const reviewRun = runs.find((r) => r !== firstRun)!;
      const prompt = await readFile(join(evidence, reviewRun, "prompt_001.md"), "utf8");
      expect(prompt).toContain("Review of #2 (changes requested):\n\nAdd a heading.");
      expect(prompt).toContain("Review comment on CHANGELOG.md:1:\n\nSay which release");
      const forge = await LocalForge.open(repo);
      expect(await status(forge, 1)).toMatchObject({
        state: "success",
        reason: "review",
        reviewId: Number(reviewId),
      });
      expect(await forge.listPullRequests()).toHaveLength(1);

      const approve = await runCli(["pr", "review", "2", "--approve"], { cwd: repo, env });
      expect(approve).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^reviewed #2: approved \(review \d+\)\n$/),
      });
      expect(await forge.listWorkflowRuns()).toHaveLength(2);
      const bad = await runCli(["pr", "review", "2", "--approve", "--comment"], { cwd: repo, env });
      expect(bad).toMatchObject({
        code: 2,
        stderr: "handoff: give exactly one of --approve, --request-changes or --comment\n",
      });
    }));
});
