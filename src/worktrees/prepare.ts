import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { ConflictError, NotFoundError } from "../errors.js";
import { Git, type GitOptions, GitCommandError, type Identity } from "../git/git.js";
import { resolveIdentity } from "../git/identity.js";
import type { LogEntry } from "../git/parse.js";
import { type RetryOptions, withGitRetry } from "../git/retry.js";
import {
  backupRefName,
  DEFAULT_BRANCH_PREFIX,
  DEFAULT_WORKTREE_ROOT,
  issueBranchName,
  issueKey,
  issueWorktreePath,
} from "./naming.js";

/** What `prepareWorktree` needs to know. */
export interface PrepareWorktreeOptions {
  /** Any folder inside the repository (its main worktree or another worktree). */
  repo: string;
  /** Issue number (or job id). */
  issue: number | string;
  /** Issue title; gives the branch its slug. */
  title?: string;
  /** Base branch a new issue branch starts from. Default: the remote's default branch, else the current branch. */
  base?: string;
  /** Remote to fetch from and start from. Default `origin`; ignored when the repository has no such remote. */
  remote?: string;
  /** Folder of issue worktrees, relative to the main worktree or absolute. Default `.worktrees`. */
  root?: string;
  /** Branch prefix. Default `handoff/issue-`. */
  branchPrefix?: string;
  /** Committer of a rebase of local work onto the remote branch. Default: repo identity, else Handoff. */
  identity?: Identity;
  /** Retries of the fetch. */
  retry?: RetryOptions;
  /** Options of the git wrapper (environment, redaction). */
  gitOptions?: GitOptions;
  /**
   * Work in `repo`'s own checkout, switched to the issue branch, instead of a second worktree: on a CI
   * runner the job's checkout already belongs to one issue, and a second checkout of a large repository
   * is most of a run's set-up. The checkout must be clean (untracked files count): a dirty one is refused
   * before anything changes.
   */
  inPlace?: boolean;
}

/** How the branch was brought up to date. */
export type PrepareAction = "created" | "continued" | "fast-forwarded" | "rebased";

/** The prepared job workspace. */
export interface PreparedWorktree {
  issue: string;
  /** Short branch name. */
  branch: string;
  /** Absolute path of the worktree. */
  path: string;
  base: string;
  /** The remote used, or null when the repository has none. */
  remote: string | null;
  /** Tip of the branch after preparation. */
  head: string;
  action: PrepareAction;
  /** True when the worktree was added by this call (false: an existing clean one was reused). */
  createdWorktree: boolean;
  /** Commits taken from the remote branch that the local branch did not have (kept, never discarded). */
  foreignCommits: LogEntry[];
}

/**
 * Prepares the worktree of a job: fetch, then create the issue branch from the base, or continue it
 * when it exists locally or on the remote (a rerun keeps working on the same branch and PR). Commits
 * on the remote branch that the local branch lacks are always kept: the local branch fast-forwards to
 * them, or the local work is rebased on top; a conflicting rebase is aborted and reported as a
 * ConflictError. A dirty existing worktree is refused before anything changes.
 */
export async function prepareWorktree(options: PrepareWorktreeOptions): Promise<PreparedWorktree> {
  const git = new Git(options.repo, options.gitOptions);
  const issue = issueKey(options.issue);
  const prefix = options.branchPrefix ?? DEFAULT_BRANCH_PREFIX;
  const worktrees = await git.worktreeList();
  const main = await git.mainWorktree();
  const checkout = options.inPlace ? await git.topLevel() : undefined;
  const path = checkout ?? issueWorktreePath(main, issue, options.root ?? DEFAULT_WORKTREE_ROOT);
  const remoteName = options.remote ?? "origin";
  const remote = (await git.tryRemoteUrl(remoteName)) === null ? null : remoteName;

  // Refuse a dirty workspace before touching anything (even remote-tracking refs).
  if (checkout && (await git.isDirty())) {
    throw new ConflictError(
      `the checkout ${checkout} has uncommitted changes or untracked files, and an in-place run works in ` +
        "it: commit, stash or remove them first, or run in a worktree (nothing was changed)",
    );
  }
  const localNames = await branchesOfIssue(git, "refs/heads/", prefix, issue);
  const holders = worktrees.filter(
    (w) => w.path === path || (w.branch !== null && localNames.includes(w.branch)),
  );
  for (const holder of holders) {
    if (existsSync(holder.path) && (await git.at(holder.path).isDirty())) {
      throw new ConflictError(
        `worktree ${holder.path} has uncommitted changes; commit, stash or remove them first (nothing was changed)`,
      );
    }
  }
  if (!checkout && !worktrees.some((w) => w.path === path) && existsSync(path)) {
    throw new ConflictError(`${path} exists but is not a worktree of this repository; move it away first`);
  }

  if (remote) await withGitRetry(() => git.fetch(remote, [], { prune: false }), options.retry);
  const remoteNames = remote ? await branchesOfIssue(git, `refs/remotes/${remote}/`, prefix, issue) : [];
  const wanted = issueBranchName(issue, options.title ?? "", prefix);
  // A renamed issue keeps its branch: an existing branch of the issue wins over the new slug.
  const branch = pickBranch(wanted, localNames, remoteNames);
  const base = options.base ?? (await defaultBase(git, remote));

  const local = await git.refs.tryShowRef(`refs/heads/${branch}`);
  const remoteRef = remote ? `refs/remotes/${remote}/${branch}` : null;
  const remoteSha = remoteRef ? await git.refs.tryShowRef(remoteRef) : null;
  let action: PrepareAction = "continued";
  if (!local && !remoteSha) {
    await git.createBranch(branch, await startPoint(git, base, remote));
    action = "created";
  } else if (!local && remoteSha) {
    await git.createBranch(branch, remoteSha);
  }
  if (remote && (await git.tryConfigGet(`branch.${branch}.remote`)) === null) {
    await git.configSet(`branch.${branch}.remote`, remote);
    await git.configSet(`branch.${branch}.merge`, `refs/heads/${branch}`);
  }

  const existing = (await git.worktreeList()).find((w) => w.branch === branch);
  if (checkout && existing && existing.path !== checkout && existsSync(existing.path)) {
    throw new ConflictError(
      `${branch} is checked out in worktree ${existing.path}; an in-place run needs it free (remove that ` +
        `worktree with \`git worktree remove ${existing.path}\`) (nothing was changed)`,
    );
  }
  if (checkout) {
    // Switching a clean checkout only rewrites tracked files to the branch's: nothing else is touched.
    if (existing?.path !== checkout) await git.checkout(branch);
    return bringUpToDate(
      git,
      git,
      { issue, branch, path: checkout, base, remote, local, remoteSha, action },
      {
        createdWorktree: false,
        identity: options.identity,
      },
    );
  }
  const registered = (await git.worktreeList()).find((w) => w.path === path);
  if (registered && !existsSync(path)) await git.worktreePrune();
  else if (registered && registered.branch !== branch) {
    throw new ConflictError(
      `worktree ${path} has ${registered.branch ?? "a detached HEAD"} checked out, not ${branch}; ` +
        `remove it with \`git worktree remove ${path}\` first`,
    );
  }
  let worktreePath = existing?.path ?? path;
  let createdWorktree = false;
  if (!existing || !existsSync(existing.path)) {
    if (existing) await git.worktreePrune();
    await excludeFromStatus(git, main, path);
    await mkdir(dirname(path), { recursive: true });
    await git.worktreeAdd(path, branch);
    worktreePath = path;
    createdWorktree = true;
  }

  return bringUpToDate(
    git,
    git.at(worktreePath),
    { issue, branch, path: worktreePath, base, remote, local, remoteSha, action },
    { createdWorktree, identity: options.identity },
  );
}

/**
 * Brings the checked-out issue branch up to date with its remote branch, keeping every commit: the
 * local branch fast-forwards to the remote's commits, or its own commits are rebased on top of them.
 */
async function bringUpToDate(
  git: Git,
  tree: Git,
  found: {
    issue: string;
    branch: string;
    path: string;
    base: string;
    remote: string | null;
    local: string | null;
    remoteSha: string | null;
    action: PrepareAction;
  },
  options: { createdWorktree: boolean; identity?: Identity },
): Promise<PreparedWorktree> {
  const { local, remoteSha, branch, remote } = found;
  let action = found.action;
  let foreignCommits: LogEntry[] = [];
  if (local && remoteSha && local !== remoteSha) {
    foreignCommits = await git.log(`${local}..${remoteSha}`);
    if (await git.isAncestor(remoteSha, local)) {
      foreignCommits = [];
    } else if (await git.isAncestor(local, remoteSha)) {
      await tree.merge(remoteSha, { ffOnly: true });
      action = "fast-forwarded";
    } else {
      await rebaseOnto(
        tree,
        remoteSha,
        branch,
        `${remote}/${branch}`,
        await resolveIdentity(git, options.identity),
      );
      action = "rebased";
    }
  }
  return {
    issue: found.issue,
    branch,
    path: found.path,
    base: found.base,
    remote,
    head: await git.revParse(`refs/heads/${branch}`),
    action,
    createdWorktree: options.createdWorktree,
    foreignCommits,
  };
}

async function rebaseOnto(tree: Git, onto: string, branch: string, remoteBranch: string, identity: Identity) {
  try {
    await tree.rebase(onto, { author: identity });
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    await tree.rebaseAbort().catch(() => undefined);
    throw new ConflictError(
      `${branch} has diverged from ${remoteBranch} and rebasing the local commits onto the remote ones ` +
        `conflicts; the branch was left as it was. Integrate ${remoteBranch} by hand in ${tree.cwd}, then rerun`,
      { cause: error },
    );
  }
}

/** Short names of the branches of an issue under `namespace` (`refs/heads/` or `refs/remotes/origin/`). */
export async function branchesOfIssue(
  git: Git,
  namespace: string,
  prefix: string,
  issue: string,
): Promise<string[]> {
  const lines = await git.refs.forEachRef(
    [`${namespace}${prefix}${issue}`, `${namespace}${prefix}${issue}-*`],
    "%(refname)",
  );
  return lines.map((ref) => ref.slice(namespace.length));
}

function pickBranch(wanted: string, local: string[], remote: string[]): string {
  if (local.includes(wanted) || remote.includes(wanted)) return wanted;
  return local[0] ?? remote[0] ?? wanted;
}

/** The base when none is given: the remote's default branch, else the main worktree's branch, else main. */
async function defaultBase(git: Git, remote: string | null): Promise<string> {
  const fromRemote = remote ? await git.tryRemoteDefaultBranch(remote) : null;
  if (fromRemote) return fromRemote;
  const main = (await git.worktreeList())[0];
  return main?.branch ?? "main";
}

async function startPoint(git: Git, base: string, remote: string | null): Promise<string> {
  const fromRemote = remote ? await git.refs.tryShowRef(`refs/remotes/${remote}/${base}`) : null;
  const start = fromRemote ?? (await git.tryRevParse(`refs/heads/${base}`)) ?? (await git.tryRevParse(base));
  if (!start) {
    throw new NotFoundError(
      `base ${base} not found ${remote ? `on ${remote} or ` : ""}in the local repository`,
    );
  }
  return start;
}

/**
 * Keeps the worktree root out of `git status` of the main tree through `.git/info/exclude`, which is
 * local to this clone: the user's `.gitignore` is never edited.
 */
async function excludeFromStatus(git: Git, main: string, path: string): Promise<void> {
  const root = dirname(path);
  const rel = relative(main, root);
  if (!rel || rel.startsWith("..") || resolve(main, rel) !== root) return;
  const line = `/${rel.split(sep).join("/")}/`;
  const file = join(await git.commonDir(), "info", "exclude");
  const current = existsSync(file) ? await readFile(file, "utf8") : "";
  if (current.split("\n").includes(line)) return;
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${current && !current.endsWith("\n") ? "\n" : ""}${line}\n`);
}

/** Removes the worktree of an issue (refusing a dirty one unless `force`) and prunes stale entries. */
export async function removeWorktree(options: {
  repo: string;
  issue: number | string;
  root?: string;
  force?: boolean;
  gitOptions?: GitOptions;
}): Promise<{ path: string; removed: boolean }> {
  const git = new Git(options.repo, options.gitOptions);
  const main = await git.mainWorktree();
  const path = issueWorktreePath(main, options.issue, options.root ?? DEFAULT_WORKTREE_ROOT);
  const registered = (await git.worktreeList()).some((w) => w.path === path);
  if (!registered) {
    await git.worktreePrune();
    return { path, removed: false };
  }
  if (existsSync(path) && !options.force && (await git.at(path).isDirty())) {
    throw new ConflictError(
      `worktree ${path} has uncommitted changes; commit them or pass force (nothing removed)`,
    );
  }
  await git.worktreeRemove(path, { force: options.force });
  await git.worktreePrune();
  return { path, removed: true };
}

/**
 * Starts an issue afresh (`handoff cleanrun`): removes its worktree and deletes its local branches, each
 * tip first kept as a backup ref, so that the next run starts from the base. Nothing is lost: the
 * worktree's uncommitted work (edits and untracked files; not ignored ones) is kept as a WIP commit on
 * top of its branch tip in that backup ref, and a folder in the worktree's place that is not a worktree
 * is refused (ConflictError), never deleted.
 */
export async function resetIssue(options: {
  repo: string;
  issue: number | string;
  root?: string;
  branchPrefix?: string;
  gitOptions?: GitOptions;
  /** Clock for the backup refs' timestamp (tests). */
  now?: () => Date;
}): Promise<{ path: string; backupRefs: string[] }> {
  const git = new Git(options.repo, options.gitOptions);
  const issue = issueKey(options.issue);
  const worktrees = await git.worktreeList();
  const main = worktrees[0]?.path ?? (await git.topLevel());
  const path = issueWorktreePath(main, issue, options.root ?? DEFAULT_WORKTREE_ROOT);
  const entry = worktrees.find((w) => w.path === path);
  if (!entry && existsSync(path)) {
    throw new ConflictError(
      `${path} exists but is not a worktree of this repository; move it away first (nothing was removed)`,
    );
  }
  const prefix = options.branchPrefix ?? DEFAULT_BRANCH_PREFIX;
  const issueBranches = await branchesOfIssue(git, "refs/heads/", prefix, issue);
  // Another checkout on an issue branch (the Action's in-place run leaves the job's checkout there)
  // keeps git from deleting that branch: detach it at the same commit when it is clean, before any
  // ref is written; a dirty one is refused, so nothing is half done.
  for (const other of worktrees) {
    if (other.path === path || !other.branch || !issueBranches.includes(other.branch)) continue;
    if (await git.at(other.path).isDirty()) {
      throw new ConflictError(
        `${other.path} has ${other.branch} checked out with uncommitted changes; commit or stash them first (nothing was removed)`,
      );
    }
  }
  for (const other of worktrees) {
    if (other.path !== path && other.branch && issueBranches.includes(other.branch))
      await git.at(other.path).checkout("HEAD", { detach: true });
  }
  const now = (options.now ?? (() => new Date()))();
  const backupRefs: string[] = [];
  const live = entry && existsSync(path) ? git.at(path) : undefined;
  let wipBranch: string | null | undefined;
  if (entry && live && (await live.isDirty())) {
    const wip = await live.objects.snapshotCommit(
      `WIP: uncommitted work of issue ${issue}, kept by handoff cleanrun\n\nHandoff-Issue: ${issue}\n`,
      { author: await resolveIdentity(git) },
    );
    const ref = backupRefName(entry.branch ?? `handoff/issue-${issue}-detached`, now);
    await git.refs.updateRef(ref, wip, { oldValue: "", message: "handoff cleanrun: uncommitted work" });
    backupRefs.push(ref);
    wipBranch = entry.branch;
  }
  if (entry) await git.worktreeRemove(path, { force: true });
  await git.worktreePrune();
  for (const branch of issueBranches) {
    // The WIP commit above already holds this tip (as its parent) when the worktree had this branch.
    if (branch !== wipBranch) {
      const backup = backupRefName(branch, now);
      await git.refs.updateRef(backup, await git.revParse(`refs/heads/${branch}`), {
        oldValue: "",
        message: "handoff cleanrun: branch tip",
      });
      backupRefs.push(backup);
    }
    await git.deleteBranch(branch, { force: true });
  }
  return { path, backupRefs };
}
