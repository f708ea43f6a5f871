import { randomBytes } from "node:crypto";
import { link, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FileError } from "../errors.js";

/** What the common errno codes mean, in the words `ls` and `cp` use for them. */
const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EIO: "input/output error",
  ENAMETOOLONG: "file name too long",
  ELOOP: "too many levels of symbolic links",
  ENOENT: "no such file or directory",
};

/** The errno code of a Node.js system error, or undefined for any other error. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** `no space left on device (ENOSPC)`: the errno in words, with its code for searching. */
export function describeErrno(code: string): string {
  const text = ERRNO_TEXT[code];
  return text ? `${text} (${code})` : code;
}

/**
 * A system error turned into a FileError that names `path` and says what went wrong in words, so a
 * full disk reads "…: cannot write: no space left on device (ENOSPC)" and not a stack trace. Errors
 * that are not system errors are returned unchanged.
 */
export function fileError(error: unknown, path: string, verb: string): unknown {
  const code = errnoCode(error);
  if (!code || error instanceof FileError) return error;
  return new FileError(`${path}: cannot ${verb}: ${describeErrno(code)}`, path, code, { cause: error });
}

/** A temp file name in the same folder as `path`; `gc` removes leftovers of killed writers by this shape. */
export function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/**
 * Writes and syncs a new temp file beside `path` and returns its name. A failed write (a full disk)
 * removes what it left, so no 0-byte or partial temp file stays behind, and names `path`.
 */
async function writeTemp(path: string, data: string | Uint8Array): Promise<string> {
  const temp = tempNameFor(path);
  let handle;
  try {
    handle = await open(temp, "wx", 0o644);
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw fileError(error, path, "write");
  }
  await handle.close();
  return temp;
}

/**
 * Writes a file so that readers see either the old content or the whole new content, never a part:
 * a temp file in the same folder (same filesystem, so rename is atomic), fsync, rename, fsync the folder.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = await writeTemp(path, data);
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw fileError(error, path, "write");
  }
  await syncDir(dirname(path));
}

/**
 * Writes `path` only if it does not exist yet, atomically: the whole content is written and synced to a
 * temp file, then hard-linked into place. `link` fails if the target exists, so of two writers racing
 * (in any processes) exactly one wins and the loser changes nothing. Returns false when `path` existed
 * (as anything: a file, a folder, a dangling symbolic link).
 */
export async function writeFileExclusive(path: string, data: string | Uint8Array): Promise<boolean> {
  const temp = await writeTemp(path, data);
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw fileError(error, path, "write");
  } finally {
    await rm(temp, { force: true });
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}
