import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { ResolvedWord } from "./words.js";

/** Devices a command may always write to. */
const SAFE_DEVICES = new Set(["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"]);

/** The directories a command may write in, absolute and with symlinks resolved. */
export function writeRoots(writePaths: readonly string[], root: string): string[] {
  const key = `${root}\0${writePaths.join("\0")}`;
  let roots = rootsCache.get(key);
  if (!roots) {
    roots = writePaths.map((p) => realOrSelf(resolve(root, p)));
    if (rootsCache.size > 100) rootsCache.clear();
    rootsCache.set(key, roots);
  }
  return roots;
}
const rootsCache = new Map<string, string[]>();

function realOrSelf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

export function isInside(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep));
}

/**
 * The real location of a path that may not exist yet: the longest existing ancestor with its
 * symlinks resolved, plus the rest. Catches `ln -s /etc x` made earlier, then `> x/passwd`.
 */
function realLocation(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) return path;
    rest.unshift(existing.slice(parent.length).replace(/^[/\\]/, ""));
    existing = parent;
  }
  return join(realOrSelf(existing), ...rest);
}

export interface PathCheck {
  ok: boolean;
  reason: string;
  /** The absolute paths the word resolves to (one per possible working directory). */
  resolved: string[];
}

/**
 * Whether a write to `word` stays inside `roots`. `cwds` are the directories the command may run in
 * (null: unknown after a `cd` the policy could not follow).
 */
export function checkWritePath(
  word: ResolvedWord,
  cwds: readonly string[] | null,
  roots: readonly string[],
): PathCheck {
  if (!word.literal || (word.pattern && /[{]/.test(word.text))) {
    const what = word.literal ? `\`${word.text}\`` : "a path known only at run time";
    return { ok: false, reason: `cannot tell where ${what} points before it runs`, resolved: [] };
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
  for (const path of resolved) {
    if (!isInside(path, roots)) {
      return {
        ok: false,
        reason: `\`${word.text}\` (${path}) is outside write_paths (${roots.join(", ")})`,
        resolved,
      };
    }
    const real = realLocation(path);
    if (!isInside(real, roots)) {
      return {
        ok: false,
        reason: `\`${word.text}\` leads through a symlink to ${real}, outside write_paths`,
        resolved,
      };
    }
    const root = roots.find((r) => isInside(path, [r]))!;
    if (relative(root, path).split(sep).includes(".git")) {
      return {
        ok: false,
        reason: `\`${word.text}\` is inside a .git directory (hooks and config run code)`,
        resolved,
      };
    }
  }
  return { ok: true, reason: "", resolved };
}
