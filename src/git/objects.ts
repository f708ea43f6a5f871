/**
 * The git wrapper's object verbs: blobs, trees and commits read and made without touching a working
 * tree or the real index (the local forge's contents, checkpoints' snapshots, rollback's revert
 * commits). Reached as `git.objects`.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { GitRunner } from "./exec.js";
import { type Identity, identityEnv } from "./identity.js";
import { type TreeEntry, parseLsTreeZ } from "./parse.js";

/** What the object verbs need of the wrapper they belong to. */
interface Repository {
  gitDir(): Promise<string>;
  revParse(rev: string): Promise<string>;
}

export class GitObjects {
  constructor(
    private readonly repo: Repository,
    private readonly run: GitRunner,
  ) {}

  /** `git cat-file -t <rev>`: `blob`, `tree`, `commit`, `tag`, or null when it does not resolve. */
  tryObjectType(rev: string): Promise<string | null> {
    return this.run.answer(["cat-file", "-t", "--end-of-options", rev], [1, 128]);
  }

  /** The bytes of a blob (e.g. `main:path/to/file`), untrimmed. */
  async readBlob(rev: string): Promise<string> {
    return (await this.run.exec(["cat-file", "blob", rev])).stdout;
  }

  /** `git ls-tree -z <rev> -- <paths>`: mode, type, sha and path of each entry (not recursive). */
  async lsTreeEntries(rev: string, paths: readonly string[] = []): Promise<TreeEntry[]> {
    return parseLsTreeZ(
      (await this.run.exec(["ls-tree", "-z", "--end-of-options", rev, "--", ...paths])).stdout,
    );
  }

  /** Paths of the files in `rev`'s tree (recursively), e.g. to check a file is on a branch. */
  async lsTree(rev: string): Promise<string[]> {
    const out = await this.run.out(["ls-tree", "-r", "-z", "--name-only", "--end-of-options", rev]);
    return out.split("\0").filter(Boolean);
  }

  /** `git hash-object -w --stdin`: stores `content` as a blob and returns its sha. */
  hashObject(content: string): Promise<string> {
    return this.run.out(["hash-object", "-w", "--stdin"], { input: content });
  }

  /**
   * The tree of `base` (a commit, or null for an empty tree) with `path` set to blob `blob`, built in a
   * throwaway index so no worktree's index is touched. Returns the new tree's sha.
   */
  treeWithFile(base: string | null, path: string, blob: string): Promise<string> {
    return this.withIndex("index", async (env) => {
      if (base) await this.run.exec(["read-tree", "--end-of-options", base], { env });
      await this.run.exec(["update-index", "--add", "--cacheinfo", `100644,${blob},${path}`], { env });
      return this.run.out(["write-tree"], { env });
    });
  }

  /**
   * `git commit-tree`: a new commit with `tree` (any tree-ish, e.g. `<sha>^{tree}`) and `parents`,
   * without touching any index or working tree. Returns its sha.
   */
  commitTree(
    tree: string,
    parents: readonly string[],
    message: string,
    options: { author?: Identity } = {},
  ): Promise<string> {
    const args = ["commit-tree", ...parents.flatMap((p) => ["-p", p]), "-F", "-", tree];
    return this.run.out(args, { input: message, env: identityEnv(options.author) });
  }

  /**
   * A commit of everything in the working tree — tracked changes and untracked files, not ignored ones
   * — on top of HEAD, made through a temporary index: the real index, the files and every ref stay as
   * they are (like `git stash create`, but with untracked files). Returns its sha; nothing points at it
   * until the caller stores it in a ref.
   */
  snapshotCommit(message: string, options: { author?: Identity } = {}): Promise<string> {
    return this.withIndex("snapshot", async (env) => {
      await this.run.exec(["read-tree", "HEAD"], { env });
      await this.run.exec(["add", "--all"], { env });
      const tree = await this.run.out(["write-tree"], { env });
      return this.commitTree(tree, [await this.repo.revParse("HEAD")], message, options);
    });
  }

  /** Runs `fn` with `GIT_INDEX_FILE` set to a fresh throwaway index in the git dir, removed after. */
  private async withIndex<T>(purpose: string, fn: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
    const unique = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const index = join(await this.repo.gitDir(), `handoff-${purpose}-${unique}.index`);
    try {
      return await fn({ GIT_INDEX_FILE: index });
    } finally {
      await rm(index, { force: true });
    }
  }
}
