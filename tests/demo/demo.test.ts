import { existsSync } from "node:fs";
import { readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalForge } from "../../src/forge/index.js";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";

const ENV = { OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "", LLM_EXEC_SLOT: "0" };
const BRANCH = "handoff/issue-1-publish-the-release-notes";

describe("handoff demo", () => {
  it("tells the whole story offline: LLM tasks answered, then an issue labeled for an agent, its PR and evidence, a denial and /rollback", async () => {
    // An isolated global git config with no identity: the demo must set its own in its repository.
    await withGitSandbox(async (sb) => {
      const result = await runCli(["demo", "--keep"], { env: ENV });
      const dir = /Done\. The files are kept in (\S+)/.exec(result.stdout)?.[1];
      try {
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        expect(dir).toBeDefined();
        const out = result.stdout;
        const steps = [...out.matchAll(/^Step (\d)\/8 /gm)].map((m) => Number(m[1]));
        expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

        // Act 1: two tasks pending (75), answered with canned answers, the rerun prints the notes.
        expect(out).toMatch(/Step 1\/8[\s\S]*exit code 75[\s\S]*CANNED[\s\S]*Step 4\/8[\s\S]*exit code 0/);
        expect(out.match(/│ pending +release_notes\./g)).toHaveLength(2);
        expect(out.match(/│ completed release_notes\./g)).toHaveLength(2);
        // … through the local forge: one issue per task, each closed by its /complete comment.
        expect(out.match(/│ opened #\d for release_notes\./g)).toHaveLength(2);
        expect(out).toContain("│ pulled 2 result(s) from handoff/llm-tasks");
        expect(out).toContain("│ - claim a task so two agents never answer the same one");

        // Act 2, in the same folder, driven through the issue as on GitHub: each handoff command shown
        // with its exit code — no direct `handoff run` or `handoff rollback`.
        const codes = [
          ...out.matchAll(
            /^ {2}\$ handoff (\w+(?: [a-z]+)?)[^\n]*\n(?: {4}│[^\n]*\n)* {2}→ exit code (\d+)$/gm,
          ),
        ];
        expect(codes.map((m) => [m[1], Number(m[2])])).toEqual([
          ["issue create", 0],
          ["policy check", 0],
          ["issue label", 0],
          ["pr list", 0],
          ["checkpoints", 0],
          ["issue show", 0],
          ["policy check", 1],
          ["issue comment", 0],
        ]);
        expect(out).toContain("agent:claude-code");
        // The label ran the agent's workflow at once: progress, the PR, the evidence, a final status.
        expect(out).toMatch(
          /│ agent:shell: dispatched the agent workflow for #1; ended success \(run \d+, pull request file:\S+\/issues\/2\.json\)/,
        );
        expect(out).toMatch(
          /│ handoff: handoff-agent\.yml run \d+: done: complete after 1 iteration\(s\) \(branch handoff\/issue-1-/,
        );
        expect(out).toMatch(/│ handoff: handoff-agent\.yml run \d+: pull request #2 opened: file:/);
        expect(out).toMatch(/│ handoff: handoff-agent\.yml run \d+: evidence comment on #1: file:/);
        expect(out).toMatch(
          /│ #2\topen\thandoff\/issue-1-publish-the-release-notes → main\tPublish the release notes \(#1\)/,
        );
        // Issue #1 lives on the local forge; its status and evidence comments are shown as GitHub renders them.
        expect(out).toMatch(/│ created issue #1: file:\/\/\S+\/\.git\/handoff\/forge\/issues\/1\.json/);
        expect(out).toContain("│ ### Handoff on #1: ✅ succeeded");
        expect(out).toMatch(/│ ### Handoff run `[^`]+`: ✅ done/);
        expect(out).not.toContain("<!-- handoff:");
        expect(out).toMatch(/│ denied \(deny\[\d+\]\): `git push origin main` matches deny rule git push/);
        expect(out).toMatch(
          /│ \/rollback: dispatched handoff-rollback\.yml for handoff\/issue-1-publish-the-release-notes; run \d+ ended success/,
        );

        const repo = join(dir!, "repo");
        expect(await sb.git(repo, "config", "--local", "user.name")).toBe("Handoff demo");
        // The run's summary TXT is shown as written, from its evidence folder.
        const evidence = join(repo, ".git", "handoff", "evidence");
        const [runDir] = await readdir(evidence);
        const txt = (await readFile(join(evidence, runDir!, "summary.txt"), "utf8")).trim();
        expect(txt).toMatch(/end_reason=done/);
        expect(out).toContain(`│ ${txt}`);

        // The checkpoints: 1/1 before the agent, 2 on the agent's commit, which wrote CHANGELOG.md.
        const first = await sb.git(repo, "rev-parse", "handoff/checkpoint/1/1^{commit}");
        const second = await sb.git(repo, "rev-parse", "handoff/checkpoint/1/2^{commit}");
        expect(await sb.git(repo, "rev-parse", "main")).toBe(first);
        expect(await sb.git(repo, "rev-parse", `${second}~1`)).toBe(first);
        const notes = await readFile(join(repo, "release-notes.md"), "utf8");
        expect(notes).toMatch(/^# Release notes\n/);
        expect(await sb.git(repo, "show", `${second}:CHANGELOG.md`)).toBe(notes.trim());
        expect(out).toContain(`│ handoff/checkpoint/1/2 ${second} `);

        // On the local forge: the PR of the branch, the final status, the rollback's report on both.
        const forge = await LocalForge.open(repo);
        expect(await forge.listPullRequests()).toEqual([
          expect.objectContaining({ number: 2, head: BRANCH }),
        ]);
        const runs = await forge.listWorkflowRuns();
        expect(runs.map((r) => [r.workflow, r.status, r.conclusion])).toEqual([
          ["handoff-rollback.yml", "completed", "success"],
          ["handoff-agent.yml", "completed", "success"],
        ]);
        for (const target of [1, 2]) {
          const report = (await forge.listComments(target)).find((c) =>
            c.body.includes("### Handoff rollback"),
          );
          expect(report?.body).toContain(`| Before | \`${second}\` |`);
          expect(report?.body).toContain(`| After | \`${first}\` |`);
          expect(report?.body).toContain("✅ tests passed");
        }

        // The rollback: the branch is back on checkpoint 1/1, the old tip kept under a backup ref.
        expect(await sb.git(repo, "rev-parse", BRANCH)).toBe(first);
        expect(await sb.git(repo, "ls-tree", "--name-only", BRANCH)).not.toContain("CHANGELOG.md");
        const backups = (
          await sb.git(repo, "for-each-ref", "--format=%(objectname) %(refname)", "refs/handoff/backup/")
        ).split("\n");
        expect(backups).toEqual([
          expect.stringMatching(new RegExp(`^${second} refs/handoff/backup/${BRANCH}/`)),
        ]);
        expect(await sb.git(repo, "status", "--porcelain")).toBe("");
        expect(out).toContain(`CHANGELOG.md is gone from ${BRANCH}`);
      } finally {
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    });
  }, 120_000);

  it("removes its working folder unless --keep", async () => {
    await withGitSandbox(async () => {
      const result = await runCli(["demo"], { env: ENV });
      expect(result.code).toBe(0);
      const dir = /working folder: (\S+)/.exec(result.stdout)?.[1];
      expect(dir).toMatch(/handoff-demo-/);
      expect(existsSync(dir!)).toBe(false);
    });
  }, 120_000);
});
