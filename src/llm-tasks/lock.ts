import { join } from "node:path";
import { ConflictError } from "../errors.js";
import { withFileLock } from "../util/lock.js";

/**
 * A task lock older than this was left by a killed process: nobody holds one for more than a few ms.
 * (An empty lock file, which Handoff never writes, is a leftover of an older version killed mid-write.)
 */
const STALE_MS = 30_000;
const WAIT_MS = 5_000;

/**
 * Runs `fn` while holding `<locksDir>/<name>.lock`, so every read-modify-write of one task (claim,
 * release, complete) is serialised across processes. Other holders are waited for up to a few seconds;
 * a stale lock is taken over atomically (src/util/lock.ts), so of many racing claimers one wins.
 */
export async function withLock<T>(locksDir: string, name: string, fn: () => Promise<T>): Promise<T> {
  const file = join(locksDir, `${name}.lock`);
  return withFileLock(
    file,
    {
      waitMs: WAIT_MS,
      isStale: (holder) => holder.ageMs > STALE_MS || holder.raw.trim() === "",
      busy: (holder) =>
        new ConflictError(
          `${file}: process ${holder.pid ?? "(unknown)"} has held the lock on this task for ` +
            `${Math.round(holder.ageMs / 1000)}s; try again`,
        ),
    },
    fn,
  );
}
