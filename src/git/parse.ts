/** Parsers for the machine-readable outputs of git commands the wrapper runs. */

/** One entry of `git worktree list --porcelain`. */
export interface WorktreeEntry {
  /** Absolute path of the worktree. */
  path: string;
  /** Commit checked out, or null for a bare repository. */
  head: string | null;
  /** Short branch name (`handoff/issue-4-x`), or null when detached or bare. */
  branch: string | null;
  bare: boolean;
  detached: boolean;
  /** True when `git worktree lock` was used on it. */
  locked: boolean;
  /** True when git considers it prunable (its folder is gone). */
  prunable: boolean;
}

export function parseWorktreeList(text: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  for (const block of text.split(/\n\n+/)) {
    const lines = block.split("\n").filter(Boolean);
    if (!lines.length) continue;
    const entry: WorktreeEntry = {
      path: "",
      head: null,
      branch: null,
      bare: false,
      detached: false,
      locked: false,
      prunable: false,
    };
    for (const line of lines) {
      const space = line.indexOf(" ");
      const key = space < 0 ? line : line.slice(0, space);
      const value = space < 0 ? "" : line.slice(space + 1);
      if (key === "worktree") entry.path = value;
      else if (key === "HEAD") entry.head = value;
      else if (key === "branch") entry.branch = value.replace(/^refs\/heads\//, "");
      else if (key === "bare") entry.bare = true;
      else if (key === "detached") entry.detached = true;
      else if (key === "locked") entry.locked = true;
      else if (key === "prunable") entry.prunable = true;
    }
    if (entry.path) entries.push(entry);
  }
  return entries;
}

/** One commit as `Git.log` returns it. */
export interface LogEntry {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** ISO 8601 author date. */
  authorDate: string;
  subject: string;
  /** Full message (subject, blank line, body, trailers). */
  message: string;
}

/** Field and record separators for `--format`: bytes that cannot appear in names or messages. */
export const FIELD = "\x1f";
export const RECORD = "\x1e";
export const LOG_FORMAT = ["%H", "%P", "%an", "%ae", "%aI", "%s", "%B"].join("%x1f") + "%x1e";

export function parseLog(text: string): LogEntry[] {
  return text
    .split(RECORD)
    .map((record) => record.replace(/^\n/, ""))
    .filter((record) => record.length > 0)
    .map((record) => {
      const [
        sha = "",
        parents = "",
        authorName = "",
        authorEmail = "",
        authorDate = "",
        subject = "",
        message = "",
      ] = record.split(FIELD);
      return {
        sha,
        parents: parents ? parents.split(" ") : [],
        authorName,
        authorEmail,
        authorDate,
        subject,
        message: message.replace(/\n+$/, ""),
      };
    });
}

/** Totals of `git diff --numstat`; binary files count as changed with 0 lines. */
export interface DiffStat {
  files: number;
  insertions: number;
  deletions: number;
}

export function parseNumstat(text: string): DiffStat {
  const stat: DiffStat = { files: 0, insertions: 0, deletions: 0 };
  for (const line of text.split("\n")) {
    const match = /^(\d+|-)\t(\d+|-)\t/.exec(line);
    if (!match) continue;
    stat.files++;
    if (match[1] !== "-") stat.insertions += Number(match[1]);
    if (match[2] !== "-") stat.deletions += Number(match[2]);
  }
  return stat;
}

/** One line of `git status --porcelain=v1 -z`: two status letters and the path. */
export interface StatusEntry {
  /** Index and worktree status letters, e.g. ` M`, `??`, `A `. */
  code: string;
  path: string;
  /** For renames and copies: the original path. */
  from?: string;
}

export function parseStatusZ(text: string): StatusEntry[] {
  const parts = text.split("\0");
  const entries: StatusEntry[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.length < 4) continue;
    const code = part.slice(0, 2);
    const entry: StatusEntry = { code, path: part.slice(3) };
    // In -z mode a rename is followed by its source path as a separate field.
    if (code.includes("R") || code.includes("C")) entry.from = parts[++i];
    entries.push(entry);
  }
  return entries;
}

/** A tag as `git.refs.listTags` returns it. */
export interface TagInfo {
  /** Short name, e.g. `handoff/checkpoint/4/2`. */
  name: string;
  /** The commit the tag points at (peeled). */
  commit: string;
  annotated: boolean;
  /** ISO 8601 date the tag (or, for a lightweight tag, the commit) was created. */
  date: string;
  /** The tag message (empty for a lightweight tag). */
  message: string;
}

/** `for-each-ref` format of `git.refs.listTags`: name, object, peeled object, date, message, one record each. */
export const TAG_FORMAT = [
  "%(refname:strip=2)",
  "%(objectname)",
  "%(*objectname)",
  "%(creatordate:iso-strict)",
  "%(contents)",
]
  .join("%1f")
  .concat("%1e");

export function parseTags(text: string): TagInfo[] {
  return text
    .split(RECORD)
    .map((r) => r.replace(/^\n/, ""))
    .filter(Boolean)
    .map((record) => {
      const [name = "", object = "", peeled = "", date = "", message = ""] = record.split(FIELD);
      return { name, commit: peeled || object, annotated: peeled !== "", date, message: message.trimEnd() };
    });
}

/** One entry of `git ls-tree`. */
export interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  path: string;
}

/** `git ls-tree -z`: `<mode> <type> <sha>\t<path>` records separated by NUL. */
export function parseLsTreeZ(text: string): TreeEntry[] {
  return text
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf("\t");
      const [mode = "", type = "", sha = ""] = line.slice(0, tab).split(" ");
      return { mode, type, sha, path: line.slice(tab + 1) };
    });
}

/** With `push --porcelain` the per-ref verdicts (`[rejected] (stale info)`) are on stdout, marked `!`. */
export function parsePushRejections(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("!"))
    .map((line) => line.split("\t").slice(1).join(" "));
}
