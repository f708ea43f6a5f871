/**
 * Lock files shared by every process on the machine: the LLM-task queue's per-task locks (held for a
 * few milliseconds) and the per-issue run lock (held for a whole run).
 *
 * A lock is a file created whole and exclusively (written to a temp file, then hard-linked into place:
 * `link` fails when the target exists, so exactly one process wins, and nobody ever sees an empty or
 * half-written lock). It records who holds it — pid, host, time and a random nonce.
 *
 * A lock whose holder is gone (the caller decides: too old, or its process is dead) is taken over
 * atomically: a taker first creates `<lock>.takeover` exclusively, then, holding it, removes the lock
 * only if it still has the content the taker judged stale. Two takers racing thus remove the stale lock
 * once, and never a fresh lock a third process took meanwhile; both then race for the lock itself, and
 * exactly one wins.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { open, rm, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { errnoCode, fileError, writeFileExclusive } from "./fs.js";

/** Who holds a lock, as its file says. Fields are undefined when the file is not in Handoff's format. */
export interface LockHolder {
  pid?: number;
  host?: string;
  /** ISO 8601 time the lock was taken. */
  at?: string;
  /** Age of the lock file (from its mtime) when it was read. */
  ageMs: number;
  /** The file's whole content: what a takeover compares before removing it. */
  raw: string;
}

export interface LockOptions {
  /** How long to wait for the holder to let go before giving up (0: refuse at once). */
  waitMs: number;
  /** Whether the holder is gone, so its lock may be taken over. */
  isStale(holder: LockHolder): boolean;
  /** The error to throw when the lock stays held (it names the holder). */
  busy(holder: LockHolder): Error;
}

/** A takeover guard older than this was left by a taker that died mid-takeover (which takes µs). */
const GUARD_STALE_MS = 30_000;

/** A held lock. `release` removes the lock file only while it is still this holder's. */
export interface HeldLock {
  file: string;
  release(): Promise<void>;
}

function lockText(): string {
  return `${process.pid} ${hostname()} ${new Date().toISOString()} ${randomBytes(8).toString("hex")}\n`;
}

/** Reads the holder of `file`; undefined when there is no lock (any more). */
export async function readLockHolder(file: string): Promise<LockHolder | undefined> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return undefined;
    throw fileError(error, file, "read");
  }
  try {
    // Age and content come from the same open file, so they describe the same lock.
    const { mtimeMs } = await handle.stat();
    const raw = await handle.readFile("utf8");
    const [pid, host, at] = raw.trim().split(" ");
    return {
      ...(pid && /^\d+$/.test(pid) ? { pid: Number(pid) } : {}),
      ...(host ? { host } : {}),
      ...(at ? { at } : {}),
      ageMs: Date.now() - mtimeMs,
      raw,
    };
  } finally {
    await handle.close();
  }
}

/** True when `holder` is a process of this machine that no longer exists. */
export function holderIsDead(holder: LockHolder): boolean {
  if (holder.pid === undefined || holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return errnoCode(error) === "ESRCH";
  }
}

/** Takes `file`, waiting up to `waitMs` for another holder; stale locks are taken over (see above). */
export async function acquireLock(file: string, options: LockOptions): Promise<HeldLock> {
  const deadline = Date.now() + options.waitMs;
  const mine = lockText();
  for (let attempt = 0; ; attempt++) {
    if (await writeFileExclusive(file, mine)) return { file, release: () => releaseIfMine(file, mine) };
    const holder = await readLockHolder(file);
    if (!holder) continue; // released between our try and our read
    if (options.isStale(holder)) {
      await takeOver(file, holder.raw);
      continue;
    }
    if (Date.now() >= deadline) throw options.busy(holder);
    await sleep(Math.min(5 + attempt * 5, 50));
  }
}

/** Runs `fn` holding `file`, and releases it however `fn` ends. */
export async function withFileLock<T>(file: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(file, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

async function takeOver(file: string, staleRaw: string): Promise<void> {
  const guard = `${file}.takeover`;
  if (!(await writeFileExclusive(guard, lockText()))) {
    // Another taker is at it: let it finish (or clear its guard if it died holding it).
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > GUARD_STALE_MS) await rm(guard, { force: true });
    else await sleep(2);
    return;
  }
  try {
    if ((await readLockHolder(file))?.raw === staleRaw) await rm(file, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

async function releaseIfMine(file: string, mine: string): Promise<void> {
  // A lock taken over from us (we were stopped longer than its staleness) is no longer ours to remove.
  if ((await readLockHolder(file).catch(() => undefined))?.raw === mine) await rm(file, { force: true });
}
