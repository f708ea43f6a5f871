/** Names of the branch and worktree of a job: one issue = one branch = one worktree. */
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";

/** Default folder (relative to the repository's main worktree) holding the issue worktrees. */
export const DEFAULT_WORKTREE_ROOT = ".worktrees";
/** Default prefix of issue branches. */
export const DEFAULT_BRANCH_PREFIX = "handoff/issue-";

/** Longest slug kept in a branch name. */
export const MAX_SLUG_LENGTH = 40;

/**
 * A branch-safe slug of an issue title: lowercase ASCII letters, digits and single dashes, at most 40
 * characters, cut at a word boundary when possible. Accents are folded (`Café` → `cafe`); a title
 * with nothing usable gives an empty slug.
 */
export function slugify(title: string): string {
  const ascii = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (ascii.length <= MAX_SLUG_LENGTH) return ascii;
  const cut = ascii.slice(0, MAX_SLUG_LENGTH + 1);
  const lastDash = cut.lastIndexOf("-");
  // Cut at the last whole word, unless that throws most of the slug away.
  const slug = lastDash >= MAX_SLUG_LENGTH / 2 ? cut.slice(0, lastDash) : cut.slice(0, MAX_SLUG_LENGTH);
  return slug.replace(/-+$/g, "");
}

/** Issue keys are issue numbers, or job ids made of safe characters. */
export function issueKey(issue: number | string): string {
  const key = String(issue).trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(key) || key.includes("..")) {
    throw new UsageError(
      `invalid issue key ${JSON.stringify(issue)}: use an issue number or letters, digits, . _ -`,
    );
  }
  return key;
}

/** `handoff/issue-N-<slug>`, or `handoff/issue-N` when the title has no usable characters. */
export function issueBranchName(issue: number | string, title = "", prefix = DEFAULT_BRANCH_PREFIX): string {
  const slug = slugify(title);
  return `${prefix}${issueKey(issue)}${slug ? `-${slug}` : ""}`;
}

/**
 * `refs/handoff/backup/<branch>/<UTC timestamp with milliseconds>`: where a branch tip is kept before
 * Handoff moves or deletes the branch (a rollback, a cleanrun), so nothing is ever lost.
 */
export function backupRefName(branch: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, "").replace(".", "");
  return `refs/handoff/backup/${branch}/${stamp}`;
}

/** Absolute path of the worktree of issue N: `<repo>/<root>/issue-N` (root may be absolute). */
export function issueWorktreePath(
  repoTop: string,
  issue: number | string,
  root = DEFAULT_WORKTREE_ROOT,
): string {
  return join(resolve(repoTop, root), `issue-${issueKey(issue)}`);
}
