/**
 * One run per issue at a time, on this machine: the local twin of the Action's per-issue concurrency
 * group. A second `handoff run` (or `cleanrun`) on an issue whose run is still going refuses at once
 * with exit 3, before it touches the worktree — two runs in one worktree commit each other's
 * half-written files.
 *
 * The lock lives in Handoff's state folder (under the git common dir, shared by every worktree) and
 * names the live process holding it. A lock whose process is gone (`kill -9`, a crash, a reboot) is
 * taken over atomically by the next run (src/util/lock.ts).
 */
import { join } from "node:path";
import { mkdir } from "node:fs/promises";
import { ConflictError } from "../errors.js";
import type { HandoffState } from "../state/handoff-state.js";
import { stopOrphanGroup } from "../process/orphans.js";
import { holderIsDead, type LockOptions, withFileLock } from "../util/lock.js";

/** The lock file of an issue's runs. */
export function issueLockFile(state: HandoffState, issue: string): string {
  return join(state.dir, "locks", `issue-${encodeURIComponent(issue)}.lock`);
}

/** Where the agent process group of the issue's running run is recorded (src/process/orphans.ts). */
export function issueGroupRecord(state: HandoffState, issue: string): string {
  return join(state.dir, "process-groups", `issue-${encodeURIComponent(issue)}.json`);
}

/**
 * Runs `fn` holding the issue's run lock; a live holder makes it throw a ConflictError at once. Once
 * the lock is held, an agent left running by an earlier run whose Handoff died is stopped first: it
 * would go on writing into the worktree this run is about to use.
 */
export async function withIssueLock<T>(state: HandoffState, issue: string, fn: () => Promise<T>): Promise<T> {
  const file = issueLockFile(state, issue);
  await mkdir(join(state.dir, "locks"), { recursive: true });
  const options: LockOptions = {
    waitMs: 0,
    // An unreadable lock (not Handoff's format) names no process to wait for: it is a leftover.
    isStale: (holder) => holder.pid === undefined || holderIsDead(holder),
    busy: (holder) =>
      new ConflictError(
        `issue ${issue} is already being worked on by another handoff run (pid ${holder.pid} on ` +
          `${holder.host ?? "this machine"}, since ${holder.at ?? "(unknown time)"}); wait for it to ` +
          `finish or stop it (lock: ${file})`,
      ),
  };
  return withFileLock(file, options, async () => {
    await stopOrphanGroup(issueGroupRecord(state, issue));
    return fn();
  });
}
