import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ConflictError, NotFoundError, UsageError } from "../errors.js";
import { type Git, type Identity } from "../git/git.js";
import { resolveIdentity } from "../git/identity.js";
import { pushBranch, type PushResult } from "../git/push.js";
import { type RetryOptions, withGitRetry } from "../git/retry.js";
import type { SecretFinder } from "../git/secret-scan.js";
import { Redactor } from "../redaction/index.js";
import { HandoffState } from "../state/handoff-state.js";
import { backupRefName } from "../worktrees/naming.js";
import { isCheckpointTagName, trustedCheckpoint } from "./trust.js";

/** How a rollback returns a branch to its target. */
export type RollbackStrategy = "reset" | "revert";

/** What `rollback` needs to know. */
export interface RollbackOptions {
  /** Target: a checkpoint tag, any revision or sha. Default: the branch's last recorded checkpoint. */
  to?: string;
  /** Branch to roll back. Default: the branch checked out where `git` works. */
  branch?: string;
  /** `reset` (default) moves the branch back; `revert` adds one commit that restores the target's tree. */
  strategy?: RollbackStrategy;
  /** Remote to push to when the branch has no upstream. Default `origin` (when it exists). */
  remote?: string;
  /** Push the rolled-back branch (with a lease) when it exists on the remote. Default true. */
  push?: boolean;
  /** The repository's default branch; found from `<remote>/HEAD`, else `main`/`master` when not given. */
  defaultBranch?: string;
  /** Author of the revert commit. Default: repo identity, else Handoff. */
  identity?: Identity;
  retry?: RetryOptions;
  /**
   * Scans the rollback's push (a revert commit, anything else the remote lacks) for secrets, like every
   * push. Default: a redactor without registered values, which still finds token shapes.
   */
  secrets?: SecretFinder;
  /** Clock for the backup ref's timestamp (tests). */
  now?: () => Date;
}

/** What a rollback did. */
export interface RollbackResult {
  branch: string;
  strategy: RollbackStrategy;
  /** The branch tip before the rollback (also saved as `backupRef`). */
  from: string;
  /** The target as given (tag or revision) and its commit. */
  to: string;
  target: string;
  /** The branch tip after the rollback: the target (reset) or the new revert commit. */
  sha: string;
  /** `refs/handoff/backup/<branch>/<timestamp>`, or null when nothing changed. */
  backupRef: string | null;
  /** Commits undone, newest first. */
  undone: string[];
  /** The worktree where the branch is checked out (updated in place), or null. */
  worktree: string | null;
  push: PushResult | null;
}

/**
 * Returns a branch to a checkpoint (or any ancestor of its tip). Safety rules, all checked before
 * anything changes: a checkpoint tag must be trusted (annotated, its trailers naming this branch and
 * issue, not moved since Handoff recorded it); the branch's worktree must be clean; `reset` is refused on the default branch
 * (use `revert`); the target must be an ancestor of the tip; the remote branch must not hold commits
 * the local branch lacks. Then the tip is saved as a backup ref, the branch is reset or a revert
 * commit is added, and the remote branch is updated through `--force-with-lease` against the sha
 * just fetched.
 */
export async function rollback(git: Git, options: RollbackOptions = {}): Promise<RollbackResult> {
  const strategy = options.strategy ?? "reset";
  if (strategy !== "reset" && strategy !== "revert") {
    throw new UsageError(`unknown rollback strategy ${JSON.stringify(strategy)}: use reset or revert`);
  }
  const branch = options.branch ?? (await git.tryCurrentBranch());
  if (!branch) throw new UsageError("HEAD is detached: pass --branch to say which branch to roll back");
  const ref = `refs/heads/${branch}`;
  const tip = await git.refs.tryShowRef(ref);
  if (!tip) throw new NotFoundError(`branch ${branch} not found`);
  const state = await HandoffState.open(git);

  const worktree = (await git.worktreeList()).find((w) => w.branch === branch && existsSync(w.path)) ?? null;
  const tree = worktree ? git.at(worktree.path) : null;
  if (tree) {
    const changes = await tree.status();
    if (changes.length) {
      const sample = changes
        .slice(0, 5)
        .map((c) => c.path)
        .join(", ");
      throw new ConflictError(
        `${worktree!.path} has uncommitted changes (${changes.length}: ${sample}); commit or stash them ` +
          `before rolling back ${branch} (nothing was changed)`,
      );
    }
  }

  const remote = await pickRemote(git, branch, options.remote ?? "origin");
  const defaultBranch = options.defaultBranch ?? (await findDefaultBranch(git, remote));
  if (strategy === "reset" && branch === defaultBranch) {
    throw new ConflictError(
      `refusing to reset ${branch}: it is the default branch and others build on its history; ` +
        `use --strategy revert, which adds a commit that undoes the changes`,
    );
  }

  const recorded = options.to === undefined ? ((await state.lastCheckpoint(branch)) ?? undefined) : undefined;
  const to = options.to ?? recorded?.tag;
  if (!to) {
    throw new NotFoundError(
      `no checkpoint recorded for ${branch}: pass --to with a checkpoint tag or commit`,
    );
  }
  // A checkpoint tag is followed only when it is still the one Handoff made (src/checkpoints/trust.ts);
  // any other revision is taken as the user gave it.
  const target =
    recorded || isCheckpointTagName(to)
      ? await trustedCheckpoint(git, to, branch, recorded)
      : await git.tryRevParse(to);
  if (!target) throw new NotFoundError(`rollback target ${to} not found`);
  if (!(await git.isAncestor(target, tip))) {
    throw new ConflictError(
      `${to} (${target.slice(0, 12)}) is not an ancestor of ${branch} (${tip.slice(0, 12)}); ` +
        `a rollback only goes back along the branch's own history`,
    );
  }

  // Know what the remote has before changing anything; never drop commits only the remote holds.
  let remoteSha: string | null = null;
  if (remote && options.push !== false) {
    const onRemote = await withGitRetry(
      () => git.fetch(remote, [`+${ref}:refs/remotes/${remote}/${branch}`]),
      options.retry,
    ).then(
      () => true,
      (error: unknown) => {
        // A branch never pushed (or deleted there) has nothing on the remote to roll back.
        if (/couldn't find remote ref/i.test(String((error as Error).message))) return false;
        throw error;
      },
    );
    remoteSha = onRemote ? await git.refs.tryShowRef(`refs/remotes/${remote}/${branch}`) : null;
    if (remoteSha && !(await git.isAncestor(remoteSha, tip))) {
      throw new ConflictError(
        `${remote}/${branch} has commits that ${branch} does not have; integrate them before rolling back ` +
          `(nothing was changed)`,
      );
    }
  }

  const undone = target === tip ? [] : await git.revList(`${target}..${tip}`);
  let sha = tip;
  let backupRef: string | null = null;
  if (undone.length) {
    backupRef = backupRefName(branch, (options.now ?? (() => new Date()))());
    await git.refs.updateRef(backupRef, tip, {
      oldValue: "",
      message: `handoff rollback: backup of ${branch}`,
    });
    if (strategy === "reset") {
      sha = target;
      if (tree) {
        await tree.reset(target, "hard");
        await tree.clean();
      } else {
        await git.refs.updateRef(ref, target, { oldValue: tip, message: `handoff rollback to ${to}` });
      }
    } else {
      const author = await resolveIdentity(git, options.identity);
      sha = await git.objects.commitTree(
        `${target}^{tree}`,
        [tip],
        revertMessage(branch, to, target, undone),
        {
          author,
        },
      );
      await git.refs.updateRef(ref, sha, { oldValue: tip, message: `handoff rollback (revert) to ${to}` });
      // The worktree was clean at `tip`; bring its files to the new commit.
      if (tree) await tree.reset(sha, "hard");
    }
  }

  let push: PushResult | null = null;
  if (remote && remoteSha && remoteSha !== sha && options.push !== false) {
    try {
      const secrets = options.secrets ?? new Redactor();
      push = await pushBranch(git, { remote, branch, expectedSha: remoteSha, secrets, ...options.retry });
    } catch (error) {
      const backup = backupRef ? ` (the old tip is saved as ${backupRef})` : "";
      const why = error instanceof Error ? error.message : String(error);
      const message = `${branch} was rolled back locally to ${sha.slice(0, 12)}${backup}, but ${why}`;
      if (error instanceof ConflictError) throw new ConflictError(message, { cause: error });
      throw error;
    }
  }
  return {
    branch,
    strategy,
    from: tip,
    to,
    target,
    sha,
    backupRef,
    undone,
    worktree: worktree?.path ?? null,
    push,
  };
}

function revertMessage(branch: string, to: string, target: string, undone: string[]): string {
  const list = undone.map((sha) => `- ${sha}`).join("\n");
  return (
    `Roll back ${branch} to ${to}\n\n` +
    `Restores the tree of ${target} and undoes these ${undone.length} commit(s):\n${list}\n\n` +
    `Handoff-Rollback-To: ${target}\n`
  );
}

/** The branch's upstream remote, else `fallback` when that remote exists, else none. */
async function pickRemote(git: Git, branch: string, fallback: string): Promise<string | null> {
  const upstream = await git.tryConfigGet(`branch.${branch}.remote`);
  if (upstream && upstream !== "." && (await git.tryRemoteUrl(upstream)) !== null) return upstream;
  return (await git.tryRemoteUrl(fallback)) === null ? null : fallback;
}

/** `<remote>/HEAD` when known, else `main` or `master` when such a branch exists. */
export async function findDefaultBranch(git: Git, remote: string | null): Promise<string | null> {
  const fromRemote = remote ? await git.tryRemoteDefaultBranch(remote) : null;
  if (fromRemote) return fromRemote;
  for (const name of ["main", "master"]) {
    if (await git.refs.tryShowRef(`refs/heads/${name}`)) return name;
  }
  return null;
}

/**
 * A detached worktree of `sha` under Handoff's state folder, for running the tests of a branch that
 * is not checked out anywhere. Remove it with `git.worktreeRemove(path, { force: true })`.
 */
export async function scratchWorktree(git: Git, sha: string): Promise<string> {
  const state = await HandoffState.open(git);
  const dir = join(state.dir, "scratch");
  await mkdir(dir, { recursive: true });
  const path = join(dir, `rollback-${sha.slice(0, 12)}-${process.pid}-${Date.now()}`);
  await git.worktreeAdd(path, sha);
  return path;
}
