import { mkdir } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { Redactor } from "../redaction/index.js";
import { GitCommandError, type ExecResult, type GitOptions, GitRunner } from "./exec.js";
import { committerEnv, identityEnv, type Identity } from "./identity.js";
import { GitObjects } from "./objects.js";
import {
  type DiffStat,
  type LogEntry,
  type StatusEntry,
  type WorktreeEntry,
  LOG_FORMAT,
  parseLog,
  parseNumstat,
  parseStatusZ,
  parsePushRejections,
  parseWorktreeList,
} from "./parse.js";
import { maskUrlCredentials } from "./redact.js";
import { GitRefs } from "./refs.js";

export { GitCommandError, type ExecResult, type GitOptions };
export type { Identity } from "./identity.js";
export type { TagInfo } from "./parse.js";
export type { GitObjects } from "./objects.js";
export type { GitRefs } from "./refs.js";

/**
 * The one place Handoff runs git. One method per git verb, the ref and object verbs grouped under
 * `refs` and `objects`; every call is non-interactive
 * (`GIT_TERMINAL_PROMPT=0`, no editor, stdin closed) and runs in `cwd`. Failures throw GitCommandError
 * naming the verb, with credentials in URLs masked.
 */
export class Git {
  readonly cwd: string;
  private readonly options: GitOptions;

  private readonly redactor: Pick<Redactor, "redact">;
  private readonly run: GitRunner;
  /** Ref and tag verbs (`show-ref`, `update-ref`, `tag`, …): refs.ts. */
  readonly refs: GitRefs;
  /** Blob, tree and commit verbs that touch no working tree (`cat-file`, `commit-tree`, …): objects.ts. */
  readonly objects: GitObjects;

  constructor(cwd: string, options: GitOptions = {}) {
    this.cwd = resolve(cwd);
    this.options = options;
    this.redactor = options.redactor ?? defaultRedactor();
    this.run = new GitRunner(this.cwd, options, (text) => this.redact(text));
    this.refs = new GitRefs(this.run);
    this.objects = new GitObjects(this, this.run);
  }

  /** The same wrapper (env, redaction) working in another folder, e.g. a worktree. */
  at(cwd: string): Git {
    return new Git(cwd, this.options);
  }

  /** Masks credentials (and whatever the configured redactor masks) in a message. */
  redact(text: string): string {
    return this.redactor.redact(maskUrlCredentials(text));
  }

  // ── repository and refs ─────────────────────────────────────────────────────────────────────────

  /** `git init` in this wrapper's folder (created if missing), on branch `initialBranch` if given. */
  async init(options: { initialBranch?: string } = {}): Promise<void> {
    const args = ["init", "--quiet"];
    if (options.initialBranch) args.push(`--initial-branch=${options.initialBranch}`);
    await mkdir(this.cwd, { recursive: true });
    await this.run.exec(args);
  }

  /** `git rev-parse --verify <rev>^{commit}`: the full sha, or a GitError when it does not resolve. */
  async revParse(rev: string): Promise<string> {
    return this.run.out(["rev-parse", "--verify", "--end-of-options", `${rev}^{commit}`]);
  }

  /** Like revParse, but null when `rev` does not name a commit. */
  async tryRevParse(rev: string): Promise<string | null> {
    return this.run.answer(
      ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`],
      [1, 128],
    );
  }

  /** Absolute path of the top of the working tree. */
  async topLevel(): Promise<string> {
    return this.run.out(["rev-parse", "--show-toplevel"]);
  }

  /** Absolute path of the common git dir (shared by all worktrees): where Handoff keeps its state. */
  async commonDir(): Promise<string> {
    const dir = await this.run.out(["rev-parse", "--git-common-dir"]);
    return isAbsolute(dir) ? dir : resolve(this.cwd, dir);
  }

  /** Absolute path of this worktree's own git dir (`.git` or `.git/worktrees/<name>`). */
  async gitDir(): Promise<string> {
    const dir = await this.run.out(["rev-parse", "--git-dir"]);
    return isAbsolute(dir) ? dir : resolve(this.cwd, dir);
  }

  /** The checked-out branch (short name), or null when HEAD is detached. */
  async tryCurrentBranch(): Promise<string | null> {
    return this.run.answer(["symbolic-ref", "--quiet", "--short", "HEAD"], [1]);
  }

  /** `git symbolic-ref --short <ref>` (e.g. `refs/remotes/origin/HEAD` → `origin/main`), or null. */
  async trySymbolicRef(ref: string): Promise<string | null> {
    return this.run.answer(["symbolic-ref", "--quiet", "--short", ref], [1, 128]);
  }

  /** The branch `<remote>/HEAD` points at (the remote's default branch), or null when it is not known. */
  async tryRemoteDefaultBranch(remote: string): Promise<string | null> {
    const head = await this.trySymbolicRef(`refs/remotes/${remote}/HEAD`);
    return head?.startsWith(`${remote}/`) ? head.slice(remote.length + 1) : null;
  }

  /** `git merge-base a b`, or null when the histories are unrelated. */
  async tryMergeBase(a: string, b: string): Promise<string | null> {
    return this.run.answer(["merge-base", "--end-of-options", a, b], [1]);
  }

  /** Whether `ancestor` is reachable from `descendant` (a commit is its own ancestor). */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const result = await this.run.exec(
      ["merge-base", "--is-ancestor", "--end-of-options", ancestor, descendant],
      {
        allowedExitCodes: [1],
      },
    );
    return result.exitCode === 0;
  }

  // ── config and remotes ──────────────────────────────────────────────────────────────────────────

  /** `git config --get key`, or null when unset. */
  async tryConfigGet(key: string): Promise<string | null> {
    return this.run.answer(["config", "--get", "--end-of-options", key], [1]);
  }

  async configSet(key: string, value: string): Promise<void> {
    await this.run.exec(["config", "--end-of-options", key, value]);
  }

  /** Names of the configured remotes. */
  async remotes(): Promise<string[]> {
    return this.run.lines(["remote"]);
  }

  /** The fetch URL of a remote, or null when there is no such remote. */
  async tryRemoteUrl(remote: string): Promise<string | null> {
    return this.run.answer(["remote", "get-url", "--end-of-options", remote], [2]);
  }

  /** `git ls-remote`: remote ref name → sha, for the refs matching `patterns`. */
  async lsRemote(remote: string, patterns: readonly string[] = []): Promise<Map<string, string>> {
    const text = await this.run.out(["ls-remote", "--end-of-options", remote, ...patterns]);
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
    await this.run.exec([...args, "--end-of-options", remote, ...refspecs]);
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
    const result = await this.run.exec([...args, "--end-of-options", remote, ...refspecs], {
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
    await this.run.exec(args);
  }

  /** `git branch --set-upstream-to=<upstream> <branch>`. */
  async setUpstream(branch: string, upstream: string): Promise<void> {
    await this.run.exec(["branch", `--set-upstream-to=${upstream}`, "--end-of-options", branch]);
  }

  /** The upstream of a local branch (`origin/main`), or null. */
  async tryUpstreamOf(branch: string): Promise<string | null> {
    return this.run.answer(["rev-parse", "--abbrev-ref", "--end-of-options", `${branch}@{upstream}`], [128]);
  }

  async deleteBranch(name: string, options: { force?: boolean } = {}): Promise<void> {
    await this.run.exec(["branch", options.force ? "-D" : "-d", "--end-of-options", name]);
  }

  /** `git checkout <ref>` (a branch, or a commit when `detach`). */
  async checkout(ref: string, options: { detach?: boolean } = {}): Promise<void> {
    const args = ["checkout", "--quiet"];
    if (options.detach) args.push("--detach");
    await this.run.exec([...args, ref, "--"]);
  }

  /** `git worktree add <path> <branch>`: checks out an existing branch in a new worktree. */
  /**
   * Checks out with one worker per core (`checkout.workers=0`, git ≥ 2.32; older git ignores the key):
   * on a 10,000-file repository this halves the checkout that dominates a fresh run's set-up.
   */
  async worktreeAdd(path: string, branch: string): Promise<void> {
    await this.run.exec([
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
    return parseWorktreeList((await this.run.exec(["worktree", "list", "--porcelain"])).stdout);
  }

  /** The main worktree's folder (the first `git worktree list` entry), else this work tree's top level. */
  async mainWorktree(): Promise<string> {
    return (await this.worktreeList())[0]?.path ?? (await this.topLevel());
  }

  async worktreeRemove(path: string, options: { force?: boolean } = {}): Promise<void> {
    const args = ["worktree", "remove"];
    if (options.force) args.push("--force");
    await this.run.exec([...args, "--end-of-options", path]);
  }

  /** Forgets worktrees whose folders were deleted by hand. */
  async worktreePrune(): Promise<void> {
    await this.run.exec(["worktree", "prune"]);
  }

  // ── working tree ────────────────────────────────────────────────────────────────────────────────

  /** `git status --porcelain -z`: changed, staged and untracked (not ignored) paths. */
  async status(): Promise<StatusEntry[]> {
    const result = await this.run.exec(["status", "--porcelain=v1", "-z", "--untracked-files=all"]);
    return parseStatusZ(result.stdout);
  }

  /** True when the working tree has any change or untracked file that is not ignored. */
  async isDirty(): Promise<boolean> {
    return (await this.status()).length > 0;
  }

  /** `git add`; with no paths, `git add --all`. */
  async add(paths: readonly string[] = []): Promise<void> {
    if (paths.length) await this.run.exec(["add", "--", ...paths]);
    else await this.run.exec(["add", "--all"]);
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
    await this.run.exec(args, { input: message, env: identityEnv(options.author) });
    return this.revParse("HEAD");
  }

  /** `git reset --hard <ref>` (or `--mixed`/`--soft`). */
  async reset(ref: string, mode: "hard" | "mixed" | "soft" = "hard"): Promise<void> {
    await this.run.exec(["reset", "--quiet", `--${mode}`, ref, "--"]);
  }

  /** `git clean -f -d`: removes untracked files and folders (ignored files stay). */
  async clean(): Promise<void> {
    await this.run.exec(["clean", "-f", "-d", "--quiet"]);
  }

  // ── history ─────────────────────────────────────────────────────────────────────────────────────

  /** `git merge <ref>`; `ffOnly` refuses anything but a fast-forward. */
  async merge(
    ref: string,
    options: { ffOnly?: boolean; message?: string; author?: Identity } = {},
  ): Promise<void> {
    const args = ["merge", "--no-edit", options.ffOnly ? "--ff-only" : "--no-ff"];
    if (options.message) args.push("-m", options.message);
    await this.run.exec([...args, "--end-of-options", ref], { env: identityEnv(options.author) });
  }

  async mergeAbort(): Promise<void> {
    await this.run.exec(["merge", "--abort"]);
  }

  /** `git rebase <upstream>` (or `--onto <onto> <upstream>`), keeping the committer identity given. */
  async rebase(upstream: string, options: { onto?: string; author?: Identity } = {}): Promise<void> {
    const args = ["rebase", "--no-autostash"];
    if (options.onto) args.push("--onto", options.onto);
    await this.run.exec([...args, upstream], { env: committerEnv(options.author) });
  }

  async rebaseAbort(): Promise<void> {
    await this.run.exec(["rebase", "--abort"]);
  }

  /** `git revert --no-edit <commits…>`; `noCommit` stages the inverse changes without committing. */
  async revert(
    commits: readonly string[],
    options: { noCommit?: boolean; author?: Identity } = {},
  ): Promise<void> {
    const args = ["revert", "--no-edit"];
    if (options.noCommit) args.push("--no-commit");
    await this.run.exec([...args, "--end-of-options", ...commits], { env: identityEnv(options.author) });
  }

  async revertAbort(): Promise<void> {
    await this.run.exec(["revert", "--abort"]);
  }

  /**
   * The commits reachable from `ref` that no remote-tracking ref of `remote` has (what a push of `ref`
   * would send, as far as this clone knows), newest first.
   */
  async unpushedCommits(ref: string, remote: string): Promise<string[]> {
    return this.run.lines(["rev-list", "--not", `--remotes=${remote}`, "--not", "--end-of-options", ref]);
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
    return (await this.run.exec(args)).stdout;
  }

  /** `git rev-list <range>`: shas, newest first. */
  async revList(range: string, options: { firstParent?: boolean } = {}): Promise<string[]> {
    const args = ["rev-list"];
    if (options.firstParent) args.push("--first-parent");
    return this.run.lines([...args, "--end-of-options", range]);
  }

  /** `git log <range>`: parsed commits, newest first. */
  async log(range: string, options: { maxCount?: number } = {}): Promise<LogEntry[]> {
    const args = ["log", `--format=${LOG_FORMAT}`];
    if (options.maxCount !== undefined) args.push(`--max-count=${options.maxCount}`);
    return parseLog((await this.run.exec([...args, "--end-of-options", range, "--"])).stdout);
  }

  /** Files, insertions and deletions between two commits (or `from` and the working tree). */
  async diffStat(from: string, to?: string): Promise<DiffStat> {
    const args = ["diff", "--numstat", "--end-of-options", from];
    if (to) args.push(to);
    return parseNumstat((await this.run.exec([...args, "--"])).stdout);
  }
}

let shared: Redactor | undefined;
function defaultRedactor(): Redactor {
  shared ??= new Redactor();
  return shared;
}
