import { realpath } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GitError } from "../../src/errors.js";
import { Git, GitCommandError } from "../../src/git/git.js";
import { Redactor } from "../../src/redaction/index.js";
import { withGitSandbox } from "../helpers/git.js";

describe("Git wrapper", () => {
  it("resolves revisions and answers null for what does not exist", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const git = new Git(repo);
      expect(await git.revParse("HEAD")).toBe(await sb.head(repo));
      expect(await git.tryRevParse("no-such-branch")).toBeNull();
      expect(await git.refs.tryShowRef("refs/heads/main")).toBe(await sb.head(repo));
      expect(await git.refs.tryShowRef("refs/heads/nope")).toBeNull();
      expect(await git.tryCurrentBranch()).toBe("main");
      expect(await git.tryConfigGet("handoff.unset")).toBeNull();
      expect(await git.tryRemoteUrl("origin")).toBeNull();
      await expect(git.revParse("no-such-branch")).rejects.toThrow(/git rev-parse failed/);
    });
  });

  it("inits a repository in a new folder on the named branch and lists a commit's files", async () => {
    await withGitSandbox(async (sb) => {
      const dir = join(sb.root, "fresh", "repo");
      const git = new Git(dir);
      await git.init({ initialBranch: "trunk" });
      expect(await sb.git(dir, "symbolic-ref", "HEAD")).toBe("refs/heads/trunk");
      await expect(git.objects.lsTree("HEAD")).rejects.toThrow(/git ls-tree failed/);
      await sb.commitFiles(dir, { "a.txt": "a\n", "sub/b c.txt": "b\n" });
      expect(await git.objects.lsTree("trunk")).toEqual(["a.txt", "sub/b c.txt"]);
    });
  });

  it("throws a GitError that names the verb and git's message", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const error = await new Git(repo).checkout("does-not-exist").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitError);
      expect(error).toBeInstanceOf(GitCommandError);
      expect((error as GitCommandError).verb).toBe("checkout");
      expect((error as Error).message).toMatch(/^git checkout failed: .*does-not-exist/);
    });
  });

  it("masks credentials in URLs in error messages and applies the configured redactor", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const url = "https://alice:s3cr3t-token@127.0.0.1:9/nothing.git";
      await sb.git(repo, "remote", "add", "origin", url);
      const redactor = new Redactor({ secrets: ["nothing-secret-path"] });
      await sb.git(repo, "remote", "add", "other", `/nowhere/nothing-secret-path`);
      const git = new Git(repo, { redactor });
      const other = (await git.fetch("other").catch((e: unknown) => e)) as GitCommandError;
      expect(other.message).toMatch(/^git fetch failed: .*\/nowhere\/\*\*\*/);
      expect(other.message).not.toContain("nothing-secret-path");
      const error = (await git.fetch("origin").catch((e: unknown) => e)) as GitCommandError;
      expect(error).toBeInstanceOf(GitCommandError);
      expect(error.message).toMatch(/^git fetch failed: /);
      expect(error.message).not.toContain("s3cr3t-token");
      expect(error.message).not.toContain("alice");
      // git strips the credentials itself here; messages that keep them go through the same mask:
      expect(git.redact("fatal: unable to access 'https://ghtoken123@github.com/o/r.git/'")).toBe(
        "fatal: unable to access 'https://***@github.com/o/r.git/'",
      );
      expect(git.redact("push to http://u:p4ss@host/x failed")).toBe("push to http://***@host/x failed");
    });
  });

  it("reports status, commits with a given identity and finds ancestors", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const git = new Git(repo);
      const base = await git.revParse("HEAD");
      expect(await git.isDirty()).toBe(false);
      await sb.writeFile(repo, "a.txt", "one\ntwo\n");
      expect(await git.status()).toEqual([{ code: "??", path: "a.txt" }]);
      expect(await git.isDirty()).toBe(true);
      await git.add();
      const sha = await git.commit("Add a\n\nRefs #4\n", {
        author: { name: "Agent X", email: "x@agents.invalid" },
      });
      expect(await git.isDirty()).toBe(false);
      const [entry] = await git.log("HEAD", { maxCount: 1 });
      expect(entry).toMatchObject({ sha, parents: [base], authorName: "Agent X", subject: "Add a" });
      expect(entry?.message).toBe("Add a\n\nRefs #4");
      expect(await git.isAncestor(base, sha)).toBe(true);
      expect(await git.isAncestor(sha, base)).toBe(false);
      expect(await git.tryMergeBase(base, sha)).toBe(base);
      expect(await git.diffStat(base, sha)).toEqual({ files: 1, insertions: 2, deletions: 0 });
      expect(await git.revList(`${base}..${sha}`)).toEqual([sha]);
    });
  });

  it("creates annotated tags whose message is kept verbatim", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const git = new Git(repo);
      const head = await git.revParse("HEAD");
      const message = "Checkpoint\n\n# not a comment\nHandoff-Run: r1\n";
      await git.refs.tag("handoff/checkpoint/4/1", head, message);
      await sb.git(repo, "tag", "light");
      const tags = await git.refs.listTags("handoff/checkpoint/4/*");
      expect(tags).toHaveLength(1);
      expect(tags[0]).toMatchObject({ name: "handoff/checkpoint/4/1", commit: head, annotated: true });
      expect(tags[0]?.message).toBe("Checkpoint\n\n# not a comment\nHandoff-Run: r1");
      expect(await sb.git(repo, "cat-file", "-t", "handoff/checkpoint/4/1")).toBe("tag");
      await expect(git.refs.tag("handoff/checkpoint/4/1", head, "again")).rejects.toThrow(
        /git tag failed: .*exists/,
      );
    });
  });

  it("checks ref names, and updates refs only from the expected old value", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const git = new Git(repo);
      expect(await git.refs.checkRefFormat("refs/tags/handoff/checkpoint/manual/ok-name")).toBe(true);
      expect(await git.refs.checkRefFormat("refs/tags/bad..name")).toBe(false);
      expect(await git.refs.checkRefFormat("refs/tags/with space")).toBe(false);
      expect(await git.refs.checkRefFormat("--help")).toBe(false);
      const first = await git.revParse("HEAD");
      const second = await sb.commitFile(repo, "b.txt", "b");
      await git.refs.updateRef("refs/handoff/backup/x", first);
      await expect(git.refs.updateRef("refs/handoff/backup/x", second, { oldValue: second })).rejects.toThrow(
        /git update-ref failed/,
      );
      expect(await git.refs.tryShowRef("refs/handoff/backup/x")).toBe(first);
      await git.refs.updateRef("refs/handoff/backup/x", second, { oldValue: first });
      expect(await git.refs.tryShowRef("refs/handoff/backup/x")).toBe(second);
    });
  });

  it("adds, lists and removes worktrees, and finds the common dir from inside one", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await realpath(await sb.createRepo());
      const git = new Git(repo);
      await git.createBranch("feature", "main");
      const path = join(repo, ".worktrees", "feature");
      await git.worktreeAdd(path, "feature");
      const list = await git.worktreeList();
      expect(list.map((w) => [w.path, w.branch])).toEqual([
        [repo, "main"],
        [path, "feature"],
      ]);
      const inner = git.at(path);
      expect(await inner.commonDir()).toBe(join(repo, ".git"));
      expect(await inner.tryCurrentBranch()).toBe("feature");
      await git.worktreeRemove(path);
      expect((await git.worktreeList()).map((w) => w.path)).toEqual([repo]);
    });
  });

  it("pushes with a lease and is rejected when the remote moved", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const bare = await sb.bareOrigin(repo);
      const git = new Git(repo);
      const seen = await git.revParse("HEAD");
      expect((await git.lsRemote("origin", ["refs/heads/main"])).get("refs/heads/main")).toBe(seen);
      const other = await sb.cloneRepo(bare, "other");
      const theirs = await sb.commitFile(other, "theirs.txt", "x");
      await sb.git(other, "push", "--quiet", "origin", "main");
      await sb.git(repo, "commit", "--quiet", "--amend", "-m", "rewritten");
      const lease = { ref: "refs/heads/main", expect: seen };
      const error = (await git
        .push("origin", ["HEAD:refs/heads/main"], { lease })
        .catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(GitCommandError);
      expect(error.message).toMatch(/stale info/);
      expect(await sb.head(bare, "main")).toBe(theirs);
    });
  });

  it("resets, cleans and reverts", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const git = new Git(repo);
      const base = await git.revParse("HEAD");
      const change = await sb.commitFile(repo, "c.txt", "c");
      await git.revert([change]);
      expect(await git.revList(`${base}..HEAD`)).toHaveLength(2);
      expect((await git.log("HEAD", { maxCount: 1 }))[0]?.subject).toMatch(/^Revert "Change c.txt"/);
      await sb.writeFile(repo, "junk/x.txt", "x");
      await git.reset(base);
      await git.clean();
      expect(await git.revParse("HEAD")).toBe(base);
      expect(await git.isDirty()).toBe(false);
    });
  });
});

describe("Git wrapper environment", () => {
  it("works in its own folder even when GIT_DIR points elsewhere (as inside a git hook)", async () => {
    await withGitSandbox(async (sb) => {
      const a = await sb.createRepo("a");
      const b = await sb.createRepo("b");
      await sb.commitFile(b, "b.txt", "b");
      process.env.GIT_DIR = join(b, ".git");
      try {
        expect(await new Git(a).revParse("HEAD")).toBe(
          await sb.git(a, "--git-dir", join(a, ".git"), "rev-parse", "HEAD"),
        );
      } finally {
        delete process.env.GIT_DIR;
      }
    });
  });
});
