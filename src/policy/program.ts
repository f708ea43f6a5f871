import type { ResolvedWord } from "./words.js";

/** Directories whose programs are known by their basename: `/usr/bin/rm` is `rm`. */
const STANDARD_BIN_DIRS = new Set([
  "/bin",
  "/sbin",
  "/usr/bin",
  "/usr/sbin",
  "/usr/local/bin",
  "/usr/local/sbin",
  "/opt/homebrew/bin",
]);

/**
 * The name rules see for a program word, or null when the word is not a plain literal (an expansion,
 * a glob or a brace list could turn it into any program). A path outside the standard bin directories
 * stays as written: `./ls` may be a script the agent wrote, so it must not pass for `ls`.
 */
export function programName(word: ResolvedWord | undefined): string | null {
  if (!word || !word.literal || word.pattern || word.text === "") return null;
  const text = word.text;
  if (text.startsWith("=")) return null; // zsh expands `=rm` to the path of rm
  const slash = text.lastIndexOf("/");
  if (slash < 0) return text;
  const dir = text.slice(0, slash).replace(/\/+$/, "") || "/";
  const base = text.slice(slash + 1);
  // `//usr//bin/./rm` is `/usr/bin/rm`; `..` is kept (through a symlink it may lead anywhere).
  const normalisedDir = dir.replace(/\/{2,}/g, "/").replace(/(\/\.)+(?=\/|$)/g, "") || "/";
  return STANDARD_BIN_DIRS.has(normalisedDir) && base ? base : text;
}
