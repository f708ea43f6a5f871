/**
 * No agent outlives Handoff. Two layers, because `kill -9` of Handoff runs no cleanup code:
 *
 * - A watchdog per guarded process group: a tiny `sh` outside the group, holding a pipe from Handoff.
 *   When Handoff dies, however it dies, the kernel closes the pipe, the watchdog's `read` sees EOF, and
 *   it ends the group (SIGTERM, then SIGKILL after the grace). When Handoff ends the group itself it
 *   says so on the pipe first, and the watchdog just exits. POSIX only; where there is no `sh` the
 *   second layer still holds.
 * - A record of the group in Handoff's state while it runs. The next run on the same issue reads it
 *   and stops a group whose Handoff is gone (when the watchdog was killed too, say).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { holderIsDead } from "../util/lock.js";
import { KILL_GRACE_MS, killGroup } from "./group.js";

const WATCHDOG = `read -r _ && exit 0; kill -TERM -$1 2>/dev/null; sleep $2; kill -KILL -$1 2>/dev/null`;

/** A process group's start time on Linux (`/proc/<pid>/stat` field 22), to tell a reused pid apart. */
function startTime(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[19];
  } catch {
    return undefined;
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Guards the group led by `pgid`: starts its watchdog and, with `recordFile`, records the group there.
 * The returned function (call it once the group is done) stops the watchdog and removes the record.
 */
export function guardGroup(pgid: number, recordFile?: string): () => Promise<void> {
  let release: () => void = () => undefined;
  try {
    const grace = String(Math.ceil(KILL_GRACE_MS / 1000));
    const dog = spawn("sh", ["-c", WATCHDOG, "handoff-watchdog", String(pgid), grace], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    dog.on("error", () => undefined); // no sh: the record below still guards the group
    dog.stdin.on("error", () => undefined);
    dog.unref();
    release = () => dog.stdin.end("done\n");
  } catch {
    // Spawning failed outright; the record still guards the group.
  }
  const record = recordFile
    ? mkdir(dirname(recordFile), { recursive: true })
        .then(() =>
          writeFile(
            recordFile,
            `${JSON.stringify({ pgid, start: startTime(pgid), owner_pid: process.pid, host: hostname(), at: new Date().toISOString() })}\n`,
          ),
        )
        .catch(() => undefined)
    : Promise.resolve();
  return async () => {
    release();
    await record;
    if (recordFile) await rm(recordFile, { force: true });
  };
}

/**
 * Stops the process group recorded in `recordFile` if the Handoff that started it is gone and the group
 * is still there (and is the same group: same start time, where the platform tells). Returns the pgid
 * it stopped, or undefined.
 */
export async function stopOrphanGroup(recordFile: string): Promise<number | undefined> {
  let record: { pgid?: unknown; start?: unknown; owner_pid?: unknown; host?: unknown };
  try {
    record = JSON.parse(await readFile(recordFile, "utf8")) as typeof record;
  } catch {
    return undefined;
  }
  const pgid = typeof record.pgid === "number" ? record.pgid : undefined;
  const owner = typeof record.owner_pid === "number" ? record.owner_pid : undefined;
  const host = typeof record.host === "string" ? record.host : undefined;
  const gone = owner !== undefined && holderIsDead({ pid: owner, host, ageMs: 0, raw: "" });
  let stopped: number | undefined;
  if (pgid !== undefined && pgid > 1 && gone && groupAlive(pgid)) {
    const same =
      record.start === undefined || startTime(pgid) === undefined || startTime(pgid) === record.start;
    if (same) {
      killGroup(pgid, "SIGTERM");
      for (let waited = 0; waited < KILL_GRACE_MS && groupAlive(pgid); waited += 50) await sleep(50);
      if (groupAlive(pgid)) killGroup(pgid, "SIGKILL");
      stopped = pgid;
    }
  }
  if (gone || owner === undefined) await rm(recordFile, { force: true });
  return stopped;
}
