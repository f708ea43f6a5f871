import { isAbsolute, relative, resolve, sep } from "node:path";
import { expandPattern, globSegment, physicalPath } from "./physical.js";
import type { ResolvedWord } from "./words.js";

/** Devices a command may always write to. */
const SAFE_DEVICES = new Set(["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"]);

/** The directories a command may write in, absolute and with symlinks resolved. */
export function writeRoots(writePaths: readonly string[], root: string): string[] {
  const key = `${root}\0${writePaths.join("\0")}`;
  let roots = rootsCache.get(key);
  if (!roots) {
    roots = writePaths.map((p) => physicalPath(resolve(root, p)));
    if (rootsCache.size > 100) rootsCache.clear();
    rootsCache.set(key, roots);
  }
  return roots;
}
const rootsCache = new Map<string, string[]>();

export function isInside(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep));
}

export interface PathCheck {
  ok: boolean;
  reason: string;
  /** The absolute paths the word resolves to (one per possible working directory). */
  resolved: string[];
}

/**
 * Whether a write to `word` stays inside `roots`. `cwds` are the directories the command may run in
 * (null: unknown after a `cd` the policy could not follow). A glob is checked for every path bash
 * could expand it to (see `expandPattern`); a path is checked as written and as the kernel walks it,
 * each symlink followed before the `..` after it (`lnk/../x`), dangling links included.
 */
export function checkWritePath(
  word: ResolvedWord,
  cwds: readonly string[] | null,
  roots: readonly string[],
): PathCheck {
  if (!word.literal) {
    return {
      ok: false,
      reason: "cannot tell where a path known only at run time points before it runs",
      resolved: [],
    };
  }
  if (word.text === "") return { ok: false, reason: "writes to an empty path", resolved: [] };
  if (SAFE_DEVICES.has(word.text)) return { ok: true, reason: "", resolved: [word.text] };
  let bases: readonly string[];
  if (isAbsolute(word.text)) bases = ["/"];
  else if (cwds === null) {
    return {
      ok: false,
      reason: `relative path \`${word.text}\` after a \`cd\` the policy cannot follow`,
      resolved: [],
    };
  } else bases = cwds;
  const resolved = bases.map((base) => resolve(base, word.text));
  for (const base of bases) {
    const raw = isAbsolute(word.text) ? word.text : `${base}/${word.text}`;
    const candidates = word.pattern ? expandPattern(word.text, base) : { paths: [raw] };
    if ("reason" in candidates) {
      return {
        ok: false,
        reason: `cannot tell where \`${word.text}\` points: ${candidates.reason}`,
        resolved,
      };
    }
    for (const path of candidates.paths) {
      const why = outsideReason(word.text, path, roots);
      if (why) return { ok: false, reason: why, resolved };
    }
  }
  return { ok: true, reason: "", resolved };
}

function outsideReason(text: string, path: string, roots: readonly string[]): string | null {
  const lexical = resolve(path);
  const shown = `\`${text}\` (${lexical})`;
  if (!isInside(lexical, roots)) return `${shown} is outside write_paths (${roots.join(", ")})`;
  const real = physicalPath(path);
  if (!isInside(real, roots)) return `${shown} leads through a symlink to ${real}, outside write_paths`;
  for (const p of [lexical, real]) {
    const root = roots.find((r) => isInside(p, [r]))!;
    if (
      relative(root, p)
        .split(sep)
        .some((part) => part.toLowerCase() === ".git")
    ) {
      return `${shown} is inside a .git directory (hooks and config run code)`;
    }
  }
  return null;
}

/**
 * Why a redirection word may open a network socket, or null. bash opens `/dev/tcp/HOST/PORT` and
 * `/dev/udp/HOST/PORT` itself, for reads as well as writes, whether or not the files exist; a word
 * known only at run time may be one of them (`checkedElsewhere`: a write, which the write-path
 * check denies anyway, or `<&`/`>&`, whose words are file descriptors).
 */
export function networkPath(word: ResolvedWord, checkedElsewhere: boolean): string | null {
  if (!word.literal) {
    return checkedElsewhere ? null : "reads a path known only at run time, which could be a network socket";
  }
  const segments = word.text.split("/").filter((s) => s !== "" && s !== ".");
  if (!word.text.startsWith("/") || segments.length < 2) return null;
  const [dev, proto] = segments;
  const could = (segment: string, name: string[]): boolean =>
    word.pattern ? name.some((n) => globSegment(segment).test(n)) : name.includes(segment);
  if (could(dev!, ["dev"]) && could(proto!, ["tcp", "udp"])) {
    return `opens a network connection (\`${word.text}\`)`;
  }
  return null;
}
