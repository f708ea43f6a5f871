import { mkdir, rm } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { GitCommandError, type ExecOptions, type ExecResult, type GitOptions, runGit } from "./exec.js";
import {
  type DiffStat,
  type LogEntry,
  type StatusEntry,
  type WorktreeEntry,
  type TagInfo,
  type TreeEntry,
  LOG_FORMAT,
  TAG_FORMAT,
  parseLog,
  parseNumstat,
  parseStatusZ,
  parseLsTreeZ,
  parsePushRejections,
  parseTags,
  parseWorktreeList,
} from "./parse.js";
import { Redactor } from "../redaction/index.js";
import { committerEnv, identityEnv, type Identity } from "./identity.js";
import { maskUrlCredentials } from "./redact.js";

export { GitCommandError, type ExecResult, type GitOptions };
export type { Identity } from "./identity.js";
export type { TagInfo } from "./parse.js";

/**
 * The one place Handoff runs git. One method per git verb; every call is non-interactive
 * (`GIT_TERMINAL_PROMPT=0`, no editor, stdin closed) and runs in `cwd`. Failures throw GitCommandError
 * naming the verb, with credentials in URLs masked.
 */
export class Git {
  readonly cwd: string;
  private readonly options: GitOptions;

  private readonly redactor: Pick<Redactor, "redact">;

  constructor(cwd: string, options: GitOptions = {}) {
    this.cwd = resolve(cwd);
    this.options = options;
    this.redactor = options.redactor ?? defaultRedactor();
  }

  /** The same wrapper (env, redaction) working in another folder, e.g. a worktree. */
  at(cwd: string): Git {
    return new Git(cwd, this.options);
  }

  /** Masks credentials (and whatever the configured redactor masks) in a message. */
  redact(text: string): string {
    return this.redactor.redact(maskUrlCredentials(text));
  }

  private exec(args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return runGit(this.cwd, args, this.options, options, (text) => this.redact(text));
  }

  private async out(args: readonly string[], options?: ExecOptions): Promise<string> {
    return (await this.exec(args, options)).stdout.trim();
  }

  /** A verb that may find nothing: its trimmed output, or null when git exits with one of `nothing`. */
  private async answer(args: readonly string[], nothing: readonly number[]): Promise<string | null> {
    const result = await this.exec(args, { allowedExitCodes: nothing });
    return result.exitCode === 0 ? result.stdout.trim() : null;
  }

  // ── repository and refs ─────────────────────────────────────────────────────────────────────────

  /** `git init` in this wrapper's folder (created if missing), on branch `initialBranch` if given. */
  async init(options: { initialBranch?: string } = {}): Promise<void> {
    const args = ["init", "--quiet"];
    if (options.initialBranch) args.push(`--initial-branch=${options.initialBranch}`);
    await mkdir(this.cwd, { recursive: true });
    await this.exec(args);
  }

  /** `git rev-parse --verify <rev>^{commit}`: the full sha, or a GitError when it does not resolve. */
  async revParse(rev: string): Promise<string> {
    return this.out(["rev-parse", "--verify", "--end-of-options", `${rev}^{commit}`]);
  }

  /** Like revParse, but null when `rev` does not name a commit. */
  async tryRevParse(rev: string): Promise<string | null> {
    return this.answer(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], [1, 128]);
  }

  /** Absolute path of the top of the working tree. */
  async topLevel(): Promise<string> {
    return this.out(["rev-parse", "--show-toplevel"]);
  }

  /** Absolute path of the common git dir (shared by all worktrees): where Handoff keeps its state. */
  async commonDir(): Promise<string> {
    const dir = await this.out(["rev-parse", "--git-common-dir"]);
    return isAbsolute(dir) ? dir : resolve(this.cwd, dir);
  }

  /** Absolute path of this worktree's own git dir (`.git` or `.git/worktrees/<name>`). */
  async gitDir(): Promise<string> {
    const dir = await this.out(["rev-parse", "--git-dir"]);
    return isAbsolute(dir) ? dir : resolve(this.cwd, dir);
  }

  /** The checked-out branch (short name), or null when HEAD is detached. */
  async currentBranch(): Promise<string | null> {
    return this.answer(["symbolic-ref", "--quiet", "--short", "HEAD"], [1]);
  }

  /** `git symbolic-ref --short <ref>` (e.g. `refs/remotes/origin/HEAD` → `origin/main`), or null. */
  async symbolicRef(ref: string): Promise<string | null> {
    return this.answer(["symbolic-ref", "--quiet", "--short", ref], [1, 128]);
  }

  /** The branch `<remote>/HEAD` points at (the remote's default branch), or null when it is not known. */
  async remoteDefaultBranch(remote: string): Promise<string | null> {
    const head = await this.symbolicRef(`refs/remotes/${remote}/HEAD`);
    return head?.startsWith(`${remote}/`) ? head.slice(remote.length + 1) : null;
  }

  /** `git show-ref --verify`: the sha a full ref name points at, or null. */
  async showRef(ref: string): Promise<string | null> {
    return this.answer(["show-ref", "--verify", "--hash", "--end-of-options", ref], [1, 128]);
  }

  /** `git for-each-ref`: one line per ref in `format` (default `<sha> <refname>`), sorted by name. */
  async forEachRef(patterns: readonly string[] = [], format = "%(objectname) %(refname)"): Promise<string[]> {
    const text = await this.out(["for-each-ref", `--format=${format}`, "--end-of-options", ...patterns]);
    return text ? text.split("\n") : [];
  }

  /** `git update-ref`; with `oldValue` the update only happens if the ref still has that value. */
  async updateRef(
    ref: string,
    sha: string,
    options: { oldValue?: string; message?: string } = {},
  ): Promise<void> {
    const args = ["update-ref"];
    if (options.message) args.push("-m", options.message);
    args.push("--end-of-options", ref, sha);
    if (options.oldValue !== undefined) args.push(options.oldValue);
    await this.exec(args);
  }

  async deleteRef(ref: string): Promise<void> {
    await this.exec(["update-ref", "-d", "--end-of-options", ref]);
  }

  /** `git check-ref-format`: whether `ref` (a full ref name such as `refs/tags/x`) is valid. */
  async checkRefFormat(ref: string): Promise<boolean> {
    // check-ref-format predates `--end-of-options`; a leading dash is invalid in a ref name anyway.
    if (ref.startsWith("-")) return false;
    const result = await this.exec(["check-ref-format", ref], { allowedExitCodes: [1] });
    return result.exitCode === 0;
  }

  /** `git merge-base a b`, or null when the histories are unrelated. */
  async mergeBase(a: string, b: string): Promise<string | null> {
    return this.answer(["merge-base", "--end-of-options", a, b], [1]);
  }

  /** Whether `ancestor` is reachable from `descendant` (a commit is its own ancestor). */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const result = await this.exec(
      ["merge-base", "--is-ancestor", "--end-of-options", ancestor, descendant],
      {
        allowedExitCodes: [1],
      },
    );
    return result.exitCode === 0;
  }

  // ── config and remotes ──────────────────────────────────────────────────────────────────────────

  /** `git config --get key`, or null when unset. */
  async configGet(key: string): Promise<string | null> {
    return this.answer(["config", "--get", "--end-of-options", key], [1]);
  }

  async configSet(key: string, value: string): Promise<void> {
    await this.exec(["config", "--end-of-options", key, value]);
  }

  /** Names of the configured remotes. */
  async remotes(): Promise<string[]> {
    const text = await this.out(["remote"]);
    return text ? text.split("\n") : [];
  }

  /** The fetch URL of a remote, or null when there is no such remote. */
  async remoteUrl(remote: string): Promise<string | null> {
    return this.answer(["remote", "get-url", "--end-of-options", remote], [2]);
  }

  /** `git ls-remote`: remote ref name → sha, for the refs matching `patterns`. */
  async lsRemote(remote: string, patterns: readonly string[] = []): Promise<Map<string, string>> {
    const text = await this.out(["ls-remote", "--end-of-options", remote, ...patterns]);
    const refs = new Map<string, string>();
    for (const line of text.split("\n")) {
      const [sha, ref] = line.split("\t");
      if (sha && ref) refs.set(ref, sha);
    }
    return refs;
  }

  /** `git fetch <remote> [refspecs]`, never asking for credentials interactively. */
  async fetch(
    remote: string,
    refspecs: readonly string[] = [],
    options: { prune?: boolean } = {},
  ): Promise<void> {
    const args = ["fetch", "--no-tags"];
    if (options.prune) args.push("--prune");
    await this.exec([...args, "--end-of-options", remote, ...refspecs]);
  }

  /**
   * `git push`. A forced update is only ever `--force-with-lease=<ref>:<expected sha>`, so a remote
   * that moved since Handoff last looked is never overwritten.
   */
  async push(
    remote: string,
    refspecs: readonly string[],
    options: { lease?: { ref: string; expect: string }; setUpstream?: boolean; atomic?: boolean } = {},
  ): Promise<ExecResult> {
    const args = ["push", "--porcelain"];
    if (options.lease) args.push(`--force-with-lease=${options.lease.ref}:${options.lease.expect}`);
    if (options.setUpstream) args.push("--set-upstream");
    if (options.atomic) args.push("--atomic");
    const result = await this.exec([...args, "--end-of-options", remote, ...refspecs], {
      allowedExitCodes: [1],
    });
    if (result.exitCode === 0) return result;
    const rejected = parsePushRejections(result.stdout);
    const stderr = this.redact(result.stderr.trim());
    const why = [...rejected.map((line) => this.redact(line)), stderr].filter(Boolean).join("; ");
    throw new GitCommandError(`git push failed: ${why || "exit code 1"}`, "push", 1, stderr, rejected);
  }

  // ── branches and worktrees ──────────────────────────────────────────────────────────────────────

  /** `git branch <name> <start>`; with `track` the new branch gets `start` as its upstream. */
  async createBranch(name: string, startPoint: string, options: { track?: boolean } = {}): Promise<void> {
    const args = ["branch", options.track ? "--track" : "--no-track", "--end-of-options", name, startPoint];
    await this.exec(args);
  }

  /** `git branch --set-upstream-to=<upstream> <branch>`. */
  async setUpstream(branch: string, upstream: string): Promise<void> {
    await this.exec(["branch", `--set-upstream-to=${upstream}`, "--end-of-options", branch]);
  }

  /** The upstream of a local branch (`origin/main`), or null. */
  async upstreamOf(branch: string): Promise<string | null> {
    return this.answer(["rev-parse", "--abbrev-ref", "--end-of-options", `${branch}@{upstream}`], [128]);
  }

  async deleteBranch(name: string, options: { force?: boolean } = {}): Promise<void> {
    await this.exec(["branch", options.force ? "-D" : "-d", "--end-of-options", name]);
  }

  /** `git checkout <ref>` (a branch, or a commit when `detach`). */
  async checkout(ref: string, options: { detach?: boolean } = {}): Promise<void> {
    const args = ["checkout", "--quiet"];
    if (options.detach) args.push("--detach");
    await this.exec([...args, ref, "--"]);
  }

  /** `git worktree add <path> <branch>`: checks out an existing branch in a new worktree. */
  /**
   * Checks out with one worker per core (`checkout.workers=0`, git ≥ 2.32; older git ignores the key):
   * on a 10,000-file repository this halves the checkout that dominates a fresh run's set-up.
   */
  async worktreeAdd(path: string, branch: string): Promise<void> {
    await this.exec([
      "-c",
      "checkout.workers=0",
      "worktree",
      "add",
      "--quiet",
      "--end-of-options",
      path,
      branch,
    ]);
  }

  async worktreeList(): Promise<WorktreeEntry[]> {
    return parseWorktreeList((await this.exec(["worktree", "list", "--porcelain"])).stdout);
  }

  /** The main worktree's folder (the first `git worktree list` entry), else this work tree's top level. */
  async mainWorktree(): Promise<string> {
    return (await this.worktreeList())[0]?.path ?? (await this.topLevel());
  }

  async worktreeRemove(path: string, options: { force?: boolean } = {}): Promise<void> {
    const args = ["worktree", "remove"];
    if (options.force) args.push("--force");
    await this.exec([...args, "--end-of-options", path]);
  }

  /** Forgets worktrees whose folders were deleted by hand. */
  async worktreePrune(): Promise<void> {
    await this.exec(["worktree", "prune"]);
  }

  // ── working tree ────────────────────────────────────────────────────────────────────────────────

  /** `git status --porcelain -z`: changed, staged and untracked (not ignored) paths. */
  async status(): Promise<StatusEntry[]> {
    const result = await this.exec(["status", "--porcelain=v1", "-z", "--untracked-files=all"]);
    return parseStatusZ(result.stdout);
  }

  /** True when the working tree has any change or untracked file that is not ignored. */
  async isDirty(): Promise<boolean> {
    return (await this.status()).length > 0;
  }

  /** `git add`; with no paths, `git add --all`. */
  async add(paths: readonly string[] = []): Promise<void> {
    if (paths.length) await this.exec(["add", "--", ...paths]);
    else await this.exec(["add", "--all"]);
  }

  /**
   * `git commit -F -` with the message on stdin. `author` sets both author and committer, so a commit
   * works on a machine with no git identity configured. The repository's hooks run unless `noVerify`.
   * Returns the new commit's sha.
   */
  async commit(
    message: string,
    options: { author?: Identity; allowEmpty?: boolean; noVerify?: boolean } = {},
  ): Promise<string> {
    const args = ["commit", "--quiet", "--cleanup=verbatim", "-F", "-"];
    if (options.allowEmpty) args.push("--allow-empty");
    if (options.noVerify) args.push("--no-verify");
    await this.exec(args, { input: message, env: identityEnv(options.author) });
    return this.revParse("HEAD");
  }

  /**
   * `git commit-tree`: a new commit with `tree` (any tree-ish, e.g. `<sha>^{tree}`) and `parents`,
   * without touching any index or working tree. Returns its sha.
   */
  async commitTree(
    tree: string,
    parents: readonly string[],
    message: string,
    options: { author?: Identity } = {},
  ): Promise<string> {
    const args = ["commit-tree", ...parents.flatMap((p) => ["-p", p]), "-F", "-", tree];
    return (await this.exec(args, { input: message, env: identityEnv(options.author) })).stdout.trim();
  }

  /**
   * A commit of everything in the working tree — tracked changes and untracked files, not ignored ones
   * — on top of HEAD, made through a temporary index: the real index, the files and every ref stay as
   * they are (like `git stash create`, but with untracked files). Returns its sha; nothing points at it
   * until the caller stores it in a ref.
   */
  async snapshotCommit(message: string, options: { author?: Identity } = {}): Promise<string> {
    const index = join(await this.gitDir(), `handoff-snapshot-${process.pid}-${Date.now()}.index`);
    const env = { GIT_INDEX_FILE: index };
    try {
      await this.exec(["read-tree", "HEAD"], { env });
      await this.exec(["add", "--all"], { env });
      const tree = await this.out(["write-tree"], { env });
      return await this.commitTree(tree, [await this.revParse("HEAD")], message, options);
    } finally {
      await rm(index, { force: true });
    }
  }

  /** `git reset --hard <ref>` (or `--mixed`/`--soft`). */
  async reset(ref: string, mode: "hard" | "mixed" | "soft" = "hard"): Promise<void> {
    await this.exec(["reset", "--quiet", `--${mode}`, ref, "--"]);
  }

  /** `git clean -f -d`: removes untracked files and folders (ignored files stay). */
  async clean(): Promise<void> {
    await this.exec(["clean", "-f", "-d", "--quiet"]);
  }

  // ── history ─────────────────────────────────────────────────────────────────────────────────────

  /** `git merge <ref>`; `ffOnly` refuses anything but a fast-forward. */
  async merge(
    ref: string,
    options: { ffOnly?: boolean; message?: string; author?: Identity } = {},
  ): Promise<void> {
    const args = ["merge", "--no-edit", options.ffOnly ? "--ff-only" : "--no-ff"];
    if (options.message) args.push("-m", options.message);
    await this.exec([...args, "--end-of-options", ref], { env: identityEnv(options.author) });
  }

  async mergeAbort(): Promise<void> {
    await this.exec(["merge", "--abort"]);
  }

  /** `git rebase <upstream>` (or `--onto <onto> <upstream>`), keeping the committer identity given. */
  async rebase(upstream: string, options: { onto?: string; author?: Identity } = {}): Promise<void> {
    const args = ["rebase", "--no-autostash"];
    if (options.onto) args.push("--onto", options.onto);
    await this.exec([...args, upstream], { env: committerEnv(options.author) });
  }

  async rebaseAbort(): Promise<void> {
    await this.exec(["rebase", "--abort"]);
  }

  /** `git revert --no-edit <commits…>`; `noCommit` stages the inverse changes without committing. */
  async revert(
    commits: readonly string[],
    options: { noCommit?: boolean; author?: Identity } = {},
  ): Promise<void> {
    const args = ["revert", "--no-edit"];
    if (options.noCommit) args.push("--no-commit");
    await this.exec([...args, "--end-of-options", ...commits], { env: identityEnv(options.author) });
  }

  async revertAbort(): Promise<void> {
    await this.exec(["revert", "--abort"]);
  }

  /**
   * The commits reachable from `ref` that no remote-tracking ref of `remote` has (what a push of `ref`
   * would send, as far as this clone knows), newest first.
   */
  async unpushedCommits(ref: string, remote: string): Promise<string[]> {
    const text = await this.out([
      "rev-list",
      "--not",
      `--remotes=${remote}`,
      "--not",
      "--end-of-options",
      ref,
    ]);
    return text ? text.split("\n") : [];
  }

  /**
   * The patch a commit introduces, with no context lines: `git show --unified=0`, with external diff
   * drivers and textconv filters off so that no program the repository configures runs.
   */
  async commitPatch(sha: string): Promise<string> {
    const args = [
      "show",
      "--format=",
      "--no-color",
      "--no-ext-diff",
      "--no-textconv",
      // Binary files too, as text: the push scan looks for registered secrets in their bytes.
      "--text",
      "--unified=0",
      "--end-of-options",
      sha,
    ];
    return (await this.exec(args)).stdout;
  }

  /** `git rev-list <range>`: shas, newest first. */
  async revList(range: string, options: { firstParent?: boolean } = {}): Promise<string[]> {
    const args = ["rev-list"];
    if (options.firstParent) args.push("--first-parent");
    const text = await this.out([...args, "--end-of-options", range]);
    return text ? text.split("\n") : [];
  }

  /** `git log <range>`: parsed commits, newest first. */
  async log(range: string, options: { maxCount?: number } = {}): Promise<LogEntry[]> {
    const args = ["log", `--format=${LOG_FORMAT}`];
    if (options.maxCount !== undefined) args.push(`--max-count=${options.maxCount}`);
    return parseLog((await this.exec([...args, "--end-of-options", range, "--"])).stdout);
  }

  /** Files, insertions and deletions between two commits (or `from` and the working tree). */
  async diffStat(from: string, to?: string): Promise<DiffStat> {
    const args = ["diff", "--numstat", "--end-of-options", from];
    if (to) args.push(to);
    return parseNumstat((await this.exec([...args, "--"])).stdout);
  }

  /** Paths of the files in `rev`'s tree (recursively), e.g. to check a file is on a branch. */
  async lsTree(rev: string): Promise<string[]> {
    const out = await this.out(["ls-tree", "-r", "-z", "--name-only", "--end-of-options", rev]);
    return out.split("\0").filter(Boolean);
  }

  // ── objects (commits made without a working tree: the local forge's contents) ─────────────────

  /** `git cat-file -t <rev>`: `blob`, `tree`, `commit`, `tag`, or null when it does not resolve. */
  async objectType(rev: string): Promise<string | null> {
    return this.answer(["cat-file", "-t", "--end-of-options", rev], [1, 128]);
  }

  /** The bytes of a blob (e.g. `main:path/to/file`), untrimmed. */
  async readBlob(rev: string): Promise<string> {
    return (await this.exec(["cat-file", "blob", rev])).stdout;
  }

  /** `git ls-tree -z <rev> -- <paths>`: mode, type, sha and path of each entry (not recursive). */
  async lsTreeEntries(rev: string, paths: readonly string[] = []): Promise<TreeEntry[]> {
    return parseLsTreeZ((await this.exec(["ls-tree", "-z", "--end-of-options", rev, "--", ...paths])).stdout);
  }

  /** `git hash-object -w --stdin`: stores `content` as a blob and returns its sha. */
  async hashObject(content: string): Promise<string> {
    return (await this.exec(["hash-object", "-w", "--stdin"], { input: content })).stdout.trim();
  }

  /**
   * The tree of `base` (a commit, or null for an empty tree) with `path` set to blob `blob`, built in a
   * throwaway index so no worktree's index is touched. Returns the new tree's sha.
   */
  async treeWithFile(base: string | null, path: string, blob: string): Promise<string> {
    const index = resolve(
      await this.gitDir(),
      `handoff-index-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    );
    const env = { GIT_INDEX_FILE: index };
    try {
      if (base) await this.exec(["read-tree", "--end-of-options", base], { env });
      await this.exec(["update-index", "--add", "--cacheinfo", `100644,${blob},${path}`], { env });
      return (await this.exec(["write-tree"], { env })).stdout.trim();
    } finally {
      await rm(index, { force: true });
    }
  }

  // ── tags ────────────────────────────────────────────────────────────────────────────────────────

  /** Creates the annotated tag `name` on `target` with `message` (kept verbatim, read from stdin). */
  async tag(
    name: string,
    target: string,
    message: string,
    options: { tagger?: Identity } = {},
  ): Promise<void> {
    await this.exec(
      ["tag", "--annotate", "--cleanup=verbatim", "--file=-", "--end-of-options", name, target],
      {
        input: message,
        env: identityEnv(options.tagger),
      },
    );
  }

  /**
   * Tags under `refs/tags/<pattern>` (a glob such as `handoff/checkpoint/4/*`, or a prefix up to a
   * slash such as `handoff/checkpoint`) with their commits and messages, oldest first. With `merged`,
   * only tags reachable from that commit.
   */
  async listTags(pattern: string, options: { merged?: string } = {}): Promise<TagInfo[]> {
    const refs = await this.out([
      "for-each-ref",
      "--sort=creatordate",
      `--format=${TAG_FORMAT}`,
      ...(options.merged ? [`--merged=${options.merged}`] : []),
      "--end-of-options",
      `refs/tags/${pattern}`,
    ]);
    return parseTags(refs);
  }

  async deleteTag(name: string): Promise<void> {
    await this.exec(["tag", "--delete", "--end-of-options", name]);
  }
}

let shared: Redactor | undefined;
function defaultRedactor(): Redactor {
  shared ??= new Redactor();
  return shared;
}
