/**
 * A real filesystem that fills up: a small tmpfs mounted for one test (root can mount one; CI runs as
 * root). Where mounting is not permitted the test is skipped with the reason printed, never faked.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** Runs `fn` with a fresh tmpfs of `sizeKb` at a temp mount point, or returns the reason it cannot. */
export async function withSmallDisk<T>(
  sizeKb: number,
  fn: (dir: string) => Promise<T>,
): Promise<{ skipped: string } | { value: T }> {
  const dir = await mkdtemp(join(tmpdir(), "handoff-disk-"));
  try {
    await execFileAsync("mount", ["-t", "tmpfs", "-o", `size=${sizeKb}k`, "tmpfs", dir]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    return { skipped: `cannot mount a tmpfs here (${(error as Error).message.split("\n")[0]})` };
  }
  try {
    return { value: await fn(dir) };
  } finally {
    await execFileAsync("umount", ["-l", dir]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Fills the filesystem of `dir` to the last byte with one file, and returns that file's path. */
export async function fillDisk(dir: string): Promise<string> {
  const file = join(dir, "filler");
  // dd stops with ENOSPC when the disk is full; that is the point, so its exit code is ignored.
  await execFileAsync("dd", ["if=/dev/zero", `of=${file}`, "bs=4k"]).catch(() => undefined);
  // Anything smaller than a block that is still free goes too.
  await writeFile(join(dir, "crumb"), "x").catch(() => undefined);
  return file;
}
