import { ConflictError } from "../errors.js";
import { type Git, GitCommandError } from "./git.js";
import { type RetryOptions, withGitRetry } from "./retry.js";
import { refuseFindings, refuseSecretsInPush, scanTagPush, type SecretFinder } from "./secret-scan.js";

/** What `pushBranch` pushes. */
export interface PushBranchOptions extends RetryOptions {
  /** Remote name, e.g. `origin`. */
  remote: string;
  /** Local branch (short name); it is pushed to the branch of the same name on the remote. */
  branch: string;
  /**
   * The remote branch's sha as Handoff last saw it. When given, the push may replace the remote branch
   * (e.g. after a rollback), but only through `--force-with-lease=refs/heads/B:<expectedSha>`: if the
   * remote moved since, the push is refused. An empty string means "the remote branch must not exist".
   * Without it the push is a plain fast-forward push.
   */
  expectedSha?: string;
  /**
   * Scans what the push would carry (new commits' added lines, binary files, messages) for secrets
   * first, with the run's redactor where there is one; a hit refuses the push with PolicyDenied naming
   * file and line. Required: no push leaves unscanned.
   */
  secrets: SecretFinder;
}

/** What a successful push did. */
export interface PushResult {
  remote: string;
  branch: string;
  /** The sha now on the remote branch. */
  sha: string;
  /** How many attempts it took. */
  attempts: number;
  /** Whether the push used a lease (and so could replace history). */
  leased: boolean;
}

/**
 * Pushes a branch, retrying network failures with exponential backoff. Rejections are not retried:
 * a lease rejection becomes a ConflictError saying the remote moved; a non-fast-forward rejection a
 * ConflictError saying the remote has commits the local branch lacks. Sets the branch's upstream when
 * it has none.
 */
export async function pushBranch(git: Git, options: PushBranchOptions): Promise<PushResult> {
  const { remote, branch, expectedSha } = options;
  const ref = `refs/heads/${branch}`;
  const sha = await git.revParse(ref);
  await refuseSecretsInPush(git, ref, remote, options.secrets);
  const lease = expectedSha === undefined ? undefined : { ref, expect: expectedSha };
  let attempts = 0;
  try {
    await withGitRetry(async (attempt) => {
      attempts = attempt;
      await git.push(remote, [`${ref}:${ref}`], { lease });
    }, options);
  } catch (error) {
    throw explainRejection(error, remote, branch, expectedSha);
  }
  if ((await git.tryConfigGet(`branch.${branch}.remote`)) === null) {
    await git.configSet(`branch.${branch}.remote`, remote);
    await git.configSet(`branch.${branch}.merge`, ref);
  }
  return { remote, branch, sha, attempts, leased: lease !== undefined };
}

function explainRejection(error: unknown, remote: string, branch: string, expectedSha?: string): unknown {
  if (!(error instanceof GitCommandError) || error.rejected.length === 0) return error;
  const verdicts = error.rejected.join("; ");
  if (/stale info/.test(verdicts)) {
    const seen = expectedSha ? expectedSha.slice(0, 12) : "absent";
    return new ConflictError(
      `push of ${branch} to ${remote} refused: the remote branch moved since Handoff saw it at ${seen} ` +
        `(lease lost); fetch and look at the new commits before pushing again`,
      { cause: error },
    );
  }
  if (/non-fast-forward|fetch first/.test(verdicts)) {
    return new ConflictError(
      `push of ${branch} to ${remote} refused: the remote branch has commits that the local branch does not ` +
        `have; fetch and integrate them first`,
      { cause: error },
    );
  }
  return new ConflictError(`push of ${branch} to ${remote} refused by the remote: ${verdicts}`, {
    cause: error,
  });
}

/**
 * Pushes the tags under `prefix` (e.g. `handoff/checkpoint/12`), retrying network failures. Tags are
 * never forced: a tag that exists on the remote with another target is a ConflictError. The tags the
 * remote lacks are scanned first (their messages and the commits they bring), like a branch push.
 */
export async function pushTags(
  git: Git,
  options: RetryOptions & { remote: string; prefix: string; secrets: SecretFinder },
): Promise<string[]> {
  const tags = await git.refs.forEachRef([`refs/tags/${options.prefix}/`], "%(refname)");
  if (tags.length === 0) return [];
  refuseFindings(
    await scanTagPush(git, tags, options.remote, options.secrets),
    `tags ${options.prefix}/* to ${options.remote}`,
  );
  const spec = `refs/tags/${options.prefix}/*`;
  try {
    await withGitRetry(() => git.push(options.remote, [`${spec}:${spec}`]), options);
  } catch (error) {
    throw explainRejection(error, options.remote, `tags ${options.prefix}/*`);
  }
  return tags;
}
