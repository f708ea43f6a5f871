import { open, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ConflictError } from "../errors.js";

/** A lock older than this was left by a killed process: nobody holds one for more than a few ms. */
const STALE_MS = 30_000;
const WAIT_MS = 5_000;

/**
 * Runs `fn` while holding `<locksDir>/<name>.lock`. The lock file is created with O_EXCL, which the
 * kernel guarantees only one process wins, so read-modify-write of a pending file (claim, release) is
 * serialised across processes. Other holders are waited for up to a few seconds.
 */
export async function withLock<T>(locksDir: string, name: string, fn: () => Promise<T>): Promise<T> {
  const file = join(locksDir, `${name}.lock`);
  const deadline = Date.now() + WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (await isStale(file)) {
        await rm(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new ConflictError(`${file}: another process holds the lock on this task; try again`);
      }
      await sleep(Math.min(5 + attempt * 5, 50));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}

async function isStale(file: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs > STALE_MS;
  } catch {
    return false; // released between our open and stat: just retry
  }
}
