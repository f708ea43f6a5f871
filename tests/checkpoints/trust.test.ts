import { describe, expect, it } from "vitest";
import { createCheckpoint } from "../../src/checkpoints/checkpoints.js";
import { rollback } from "../../src/checkpoints/rollback.js";
import { ConflictError } from "../../src/errors.js";
import { Git } from "../../src/git/git.js";
import { prepareWorktree } from "../../src/worktrees/prepare.js";
import { runCli } from "../helpers/cli.js";
import { type GitSandbox, withGitSandbox } from "../helpers/git.js";

const BRANCH = "handoff/issue-4-fix-login";

/** main has history before the issue's base; the issue has a checkpoint and two pushed commits. */
async function issueWithWork(sb: GitSandbox) {
  const repo = await sb.createRepo("repo");
  const beforeBase = await sb.commitFile(repo, "old.txt", "old\n", "Before the issue");
  await sb.commitFile(repo, "base.txt", "base\n", "The issue's base");
  const bare = await sb.bareOrigin(repo);
  const prepared = await prepareWorktree({ repo, issue: 4, title: "Fix login" });
  const wt = prepared.path;
  const git = new Git(wt);
  const checkpoint = await createCheckpoint(git, { runId: "r1", agent: "coder", iteration: 0 });
  const middle = await sb.commitFile(wt, "login.ts", "broken\n", "Break login");
  await sb.commitFile(wt, "more.ts", "more\n", "More changes");
  await sb.git(wt, "push", "--quiet", "origin", BRANCH);
  return { repo, bare, wt, git, checkpoint, beforeBase, middle };
}

/** Rolls back and expects a refusal naming the tag that changed nothing, here or on the remote. */
async function expectRefused(
  sb: GitSandbox,
  fixture: Awaited<ReturnType<typeof issueWithWork>>,
  to: string | undefined,
  why: RegExp,
): Promise<void> {
  const before = [await sb.refs(fixture.wt), await sb.refs(fixture.bare)];
  const error = await rollback(fixture.git, to === undefined ? {} : { to }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConflictError);
  expect((error as Error).message).toMatch(/^refusing checkpoint tag handoff\/checkpoint\/4\/1: /);
  expect((error as Error).message).toMatch(why);
  expect([await sb.refs(fixture.wt), await sb.refs(fixture.bare)]).toEqual(before);
}

describe("rollback trusts only checkpoints Handoff made (issue 13 §6)", () => {
  it("refuses the recorded checkpoint once its tag was moved as a lightweight tag below the base", async () => {
    await withGitSandbox(async (sb) => {
      const fixture = await issueWithWork(sb);
      await sb.git(fixture.wt, "tag", "-f", fixture.checkpoint.tag, fixture.beforeBase);
      await expectRefused(sb, fixture, undefined, /lightweight tag/);
      await expectRefused(sb, fixture, fixture.checkpoint.tag, /lightweight tag/);
    });
  });

  it("refuses an annotated tag moved with the same trailers, and one whose trailers name another branch", async () => {
    await withGitSandbox(async (sb) => {
      const fixture = await issueWithWork(sb);
      const { wt, checkpoint } = fixture;
      const message = await sb.git(wt, "tag", "-l", "--format=%(contents)", checkpoint.tag);
      await sb.git(wt, "tag", "-f", "-a", "-m", message, checkpoint.tag, fixture.beforeBase);
      await expectRefused(sb, fixture, undefined, /it was moved: Handoff recorded it on [0-9a-f]{12}/);

      const other = message.replace(`Handoff-Branch: ${BRANCH}`, "Handoff-Branch: handoff/issue-9-other");
      await sb.git(wt, "tag", "-f", "-a", "-m", other, checkpoint.tag, fixture.middle);
      await expectRefused(sb, fixture, checkpoint.tag, /Handoff-Branch trailer names handoff\/issue-9-other/);
      await sb.git(wt, "tag", "-f", "-a", "-m", "just a tag", checkpoint.tag, fixture.middle);
      await expectRefused(sb, fixture, checkpoint.tag, /no Handoff checkpoint trailers/);
    });
  });

  it("still follows an untouched checkpoint, and a commit given by sha", async () => {
    await withGitSandbox(async (sb) => {
      const fixture = await issueWithWork(sb);
      const bySha = await rollback(fixture.git, { to: fixture.middle, push: false });
      expect(bySha.sha).toBe(fixture.middle);
      const result = await rollback(fixture.git, { to: fixture.checkpoint.tag, push: false });
      expect(result.sha).toBe(fixture.checkpoint.sha);
      expect(await rollback(fixture.git, { push: false })).toMatchObject({ sha: fixture.checkpoint.sha });
    });
  });

  it("through the CLI: exit 3 naming the tag, and the remote branch is not force-pushed", async () => {
    await withGitSandbox(async (sb) => {
      const fixture = await issueWithWork(sb);
      await sb.git(fixture.wt, "tag", "-f", fixture.checkpoint.tag, fixture.beforeBase);
      const remoteBefore = await sb.refs(fixture.bare);
      const run = await runCli(["rollback", "--no-test"], { cwd: fixture.wt });
      expect([run.code, run.stderr]).toEqual([
        3,
        expect.stringMatching(
          /^handoff: refusing checkpoint tag handoff\/checkpoint\/4\/1: it is a lightweight tag.*pass --to [0-9a-f]{40}\n$/,
        ),
      ]);
      expect(await sb.refs(fixture.bare)).toBe(remoteBefore);
    });
  });
});
