import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import { ConfigError } from "../errors.js";
import { describeErrno, errnoCode } from "../util/fs.js";
import { parseJsonText } from "../util/validate.js";

/**
 * Reads and parses a JSON file; `undefined` when it does not exist. Anything else that is not a
 * readable JSON file — malformed JSON, a folder named `*.json`, a dangling symbolic link, a file that
 * cannot be read — is a ConfigError naming the file, so a listing reports that one entry and goes on,
 * and every command reads a broken entry the same way (never as "absent" in one place and "there" in
 * another).
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
    const problem = unreadable(error, path);
    if (problem === undefined) return undefined;
    throw problem;
  }
  return parseJsonText(text, path);
}

function unreadable(error: unknown, path: string): unknown {
  const code = errnoCode(error);
  if (code === "ENOENT") {
    let target: string | undefined;
    try {
      if (lstatSync(path).isSymbolicLink()) target = readlinkSync(path);
    } catch {
      return undefined; // really absent
    }
    if (target === undefined) return undefined;
    return new ConfigError(
      `${path}: dangling symbolic link (to ${target}); remove it or fix its target`,
      path,
    );
  }
  if (code === "EISDIR")
    return new ConfigError(`${path}: is a directory, not a JSON file; move it away`, path);
  if (code) return new ConfigError(`${path}: cannot read: ${describeErrno(code)}`, path);
  return error;
}

/** {@link readJsonIfExistsSync} behind a promise, for callers that may later read from elsewhere. */
export async function readJsonIfExists(path: string): Promise<unknown> {
  return readJsonIfExistsSync(path);
}

/** JSON as Handoff writes it: two-space indent and a final newline, so files diff well. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
