import { lstatSync, readdirSync, readlinkSync } from "node:fs";
import { dirname, join } from "node:path";

/** Symlinks followed for one path before giving up (Linux's own limit is 40). */
const MAX_LINKS = 40;
/** Paths one glob may expand to before the policy stops trying to check each of them. */
const MAX_MATCHES = 1_000;

/**
 * Where the kernel lands for an absolute path, walking it one component at a time as the kernel
 * does: a symlink is replaced by its target before the components after it are read, so `lnk/../x`
 * with `lnk -> /etc/sub` is `/etc/x` (a lexical `resolve` would say `./x`), and a dangling link is
 * followed to where its target would be created. Components that do not exist are kept as written.
 */
export function physicalPath(path: string): string {
  const queue = path.split("/").filter((s) => s !== "");
  let current = "/";
  let links = 0;
  while (queue.length > 0) {
    const segment = queue.shift()!;
    if (segment === ".") continue;
    if (segment === "..") {
      current = dirname(current);
      continue;
    }
    const next = join(current, segment);
    let isLink = false;
    try {
      isLink = lstatSync(next).isSymbolicLink();
    } catch {
      isLink = false; // does not exist (yet): the kernel would create or fail here
    }
    if (!isLink) {
      current = next;
      continue;
    }
    if (++links > MAX_LINKS) return next; // a loop: the kernel fails with ELOOP, nothing is written
    const target = readlinkSync(next);
    queue.unshift(...target.split("/").filter((s) => s !== ""));
    if (target.startsWith("/")) current = "/";
  }
  return current;
}

/**
 * Every path bash could expand a glob write target to, unfolded (`..` kept for `physicalPath`):
 * the entries that match now, and the word itself (bash keeps a glob that matches nothing). bash
 * without `dotglob` (which the policy never lets a command turn on) does not match a leading `.`
 * with `*` or `?`. A segment that could match `.git`, `.` or `..`, a `..` after a pattern, bracket
 * and brace patterns, and globs with too many matches are refused with a reason instead: the policy
 * cannot check what they will match when the command runs, after earlier commands changed the tree.
 */
export function expandPattern(text: string, base: string): { paths: string[] } | { reason: string } {
  if (/[[{]/.test(text)) return { reason: "bracket and brace patterns are not followed" };
  const segments = text.split("/").filter((s) => s !== "");
  let candidates = [text.startsWith("/") ? "" : base.replace(/\/+$/, "")];
  let sawPattern = false;
  for (const segment of segments) {
    const wild = /[*?]/.test(segment);
    if (!wild) {
      if (segment === ".." && sawPattern)
        return { reason: "a `..` after a pattern depends on what it matches" };
      candidates = candidates.map((c) => `${c}/${segment}`);
      continue;
    }
    sawPattern = true;
    const re = globSegment(segment);
    const hidesDots = segment.startsWith("*") || segment.startsWith("?");
    const matches = (name: string): boolean => (!hidesDots || !name.startsWith(".")) && re.test(name);
    // Case-insensitive: on macOS and Windows `.GIT` is the same directory.
    const folded = new RegExp(re.source, "is");
    for (const special of [".git", ".", ".."]) {
      if (folded.test(special) && !hidesDots) return { reason: `\`${segment}\` could match \`${special}\`` };
    }
    const next: string[] = [];
    for (const dir of candidates) {
      next.push(`${dir}/${segment}`);
      let names: string[] = [];
      try {
        names = readdirSync(dir || "/");
      } catch {
        names = [];
      }
      for (const name of names) if (matches(name)) next.push(`${dir}/${name}`);
      if (next.length > MAX_MATCHES) return { reason: `it matches more than ${MAX_MATCHES} paths` };
    }
    candidates = next;
  }
  return { paths: candidates.map((c) => c || "/") };
}

/** A regular expression for one glob segment where `*` and `?` are wildcards (a superset of bash's). */
export function globSegment(segment: string): RegExp {
  const source = [...segment]
    .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "s");
}
