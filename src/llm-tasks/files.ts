import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { link, open, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { parseJsonText } from "../util/validate.js";

/** A temp file name in the same folder as `path`; `gc` removes leftovers of killed writers by this shape. */
export function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/**
 * Writes `path` only if it does not exist yet, atomically: the whole content is written and synced to a
 * temp file, then hard-linked into place. `link` fails if the target exists, so of two writers racing
 * (in any processes) exactly one wins and the loser changes nothing. Returns false when `path` existed.
 */
export async function writeFileExclusive(path: string, data: string): Promise<boolean> {
  const temp = tempNameFor(path);
  const handle = await open(temp, "wx", 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Reads and parses a JSON file; `undefined` when it does not exist. Malformed JSON names the file.
 *
 * The read is synchronous on purpose: queue files are small, and one blocking read (~20 µs) beats the
 * four thread-pool round trips of `fs.promises.readFile` (open, stat, read, close) by a factor of ten.
 * This is what keeps a result lookup under 0.2 ms and `queue list` near a plain loop (bench/queue.bench.ts).
 */
export function readJsonIfExistsSync(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return parseJsonText(text, path);
}

/** {@link readJsonIfExistsSync} behind a promise, for callers that may later read from elsewhere. */
export async function readJsonIfExists(path: string): Promise<unknown> {
  return readJsonIfExistsSync(path);
}

/** JSON as Handoff writes it: two-space indent and a final newline, so files diff well. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
