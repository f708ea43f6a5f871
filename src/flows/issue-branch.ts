/**
 * The branch a rollback or checkpoint works on: the one named, else the issue's `handoff/issue-N…`
 * branch. A fresh runner has only the remote-tracking branches of its checkout, so the remote is
 * fetched first and a missing local branch is created at the remote's tip.
 */
import { CHECKPOINT_TAG_PREFIX } from "../checkpoints/checkpoints.js";
import { NotFoundError } from "../errors.js";
import type { Git } from "../git/git.js";
import { withGitRetry } from "../git/retry.js";
import { DEFAULT_BRANCH_PREFIX, branchesOfIssue } from "../worktrees/index.js";

export async function resolveBranch(
  git: Git,
  target: { branch?: string; issue?: number },
  remote = "origin",
): Promise<string> {
  const hasRemote = (await git.tryRemoteUrl(remote)) !== null;
  // Branches, and the checkpoint tags a rollback chooses from (a shallow or tagless checkout lacks them).
  if (hasRemote)
    await withGitRetry(() =>
      git.fetch(remote, [
        `+refs/heads/*:refs/remotes/${remote}/*`,
        `+refs/tags/${CHECKPOINT_TAG_PREFIX}/*:refs/tags/${CHECKPOINT_TAG_PREFIX}/*`,
      ]),
    );
  let branch = target.branch;
  if (!branch && target.issue !== undefined) {
    const issue = String(target.issue);
    const local = await branchesOfIssue(git, "refs/heads/", DEFAULT_BRANCH_PREFIX, issue);
    const remoteNames = hasRemote
      ? await branchesOfIssue(git, `refs/remotes/${remote}/`, DEFAULT_BRANCH_PREFIX, issue)
      : [];
    branch = local[0] ?? remoteNames[0];
    if (!branch) throw new NotFoundError(`issue #${issue} has no ${DEFAULT_BRANCH_PREFIX}${issue}… branch`);
  }
  if (!branch) throw new NotFoundError("give the input `issue` or `branch`");
  if (!(await git.refs.tryShowRef(`refs/heads/${branch}`))) {
    const tip = hasRemote ? await git.refs.tryShowRef(`refs/remotes/${remote}/${branch}`) : null;
    if (!tip) throw new NotFoundError(`branch ${branch} not found locally or on ${remote}`);
    await git.createBranch(branch, tip);
  }
  return branch;
}
