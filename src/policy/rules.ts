import type { ArgvRule } from "./schema.js";
import type { ResolvedWord } from "./words.js";

const globCache = new Map<string, RegExp>();

/** `*` any characters (including `/`), `?` one character, `[…]` a class; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (re) return re;
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") source += "[\\s\\S]*";
    else if (c === "?") source += "[\\s\\S]";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) source += "\\[";
      else {
        const body = glob.slice(i + 1, close).replace(/\\/g, "\\\\");
        source += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  re = new RegExp(`^${source}$`);
  globCache.set(glob, re);
  return re;
}

/** Glob match with a fast path for plain strings (most rules name a program without wildcards). */
export function globMatches(glob: string, text: string): boolean {
  return hasGlob(glob) ? globToRegExp(glob).test(text) : glob === text;
}

export function hasGlob(text: string): boolean {
  return /[*?[]/.test(text);
}

/**
 * Global options that take a separate value, per program, so that the subcommand is found after them:
 * `git -C dir -c k=v push` has subcommand `push`.
 */
const GLOBAL_OPTIONS_WITH_VALUE: Record<string, Set<string>> = {
  git: new Set([
    "-C",
    "-c",
    "--git-dir",
    "--work-tree",
    "--namespace",
    "--super-prefix",
    "--config-env",
    "--exec-path",
  ]),
  npm: new Set([
    "--prefix",
    "-w",
    "--workspace",
    "--userconfig",
    "--cache",
    "--registry",
    "--loglevel",
    "-C",
  ]),
  pnpm: new Set(["-C", "--dir", "--filter", "-F", "--workspace-dir"]),
  yarn: new Set(["--cwd"]),
  docker: new Set(["-H", "--host", "--context", "-c", "--config", "-l", "--log-level"]),
  cargo: new Set(["-C", "--config", "-Z", "--color"]),
  go: new Set([]),
};

/** Index of the subcommand in argv (after global options), or -1. */
export function subcommandIndex(program: string, argv: readonly ResolvedWord[]): number {
  const withValue = GLOBAL_OPTIONS_WITH_VALUE[program] ?? new Set<string>();
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.literal) return i; // unknown: could be an option or the subcommand
    if (word.text === "--") return i + 1 < argv.length ? i + 1 : -1;
    if (!word.text.startsWith("-")) return i;
    if (withValue.has(word.text)) i++;
  }
  return -1;
}

export type MatchMode = "allow" | "deny";

/**
 * Whether a rule matches an argv whose program name is `program`. In `deny` mode a word known only
 * at run time matches anything (it could be the denied word); in `allow` mode it matches only `**`.
 */
export function ruleMatches(
  rule: ArgvRule,
  program: string,
  argv: readonly ResolvedWord[],
  mode: MatchMode,
): boolean {
  if (rule.program !== "*" && !globMatches(rule.program, program)) return false;
  let rest = argv.slice(1);
  if (rule.subcommand !== undefined) {
    const index = subcommandIndex(program, argv);
    if (index < 0) return false;
    const sub = argv[index]!;
    if (!wordMatches(sub, rule.subcommand, mode)) return false;
    rest = argv.slice(index + 1);
  }
  if (rule.args === undefined) return true;
  return argsMatch(rule.args, rest, mode);
}

function wordMatches(word: ResolvedWord, glob: string, mode: MatchMode): boolean {
  if (!word.literal) return mode === "deny";
  return globMatches(glob, word.text);
}

/** Matches args one to one; a pattern element `**` takes any number of whole arguments. */
function argsMatch(patterns: readonly string[], args: readonly ResolvedWord[], mode: MatchMode): boolean {
  const memo = new Map<string, boolean>();
  const go = (p: number, a: number): boolean => {
    const key = `${p},${a}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (p === patterns.length) result = a === args.length;
    else if (patterns[p] === "**") result = go(p + 1, a) || (a < args.length && go(p, a + 1));
    else result = a < args.length && wordMatches(args[a]!, patterns[p]!, mode) && go(p + 1, a + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/**
 * An allow rule is explicit for a program when it names it without wildcards and spells out its
 * arguments (at least one argument glob that is not just `*` or `**`). Only such a rule can allow an
 * always-denied shape: `{program: bash, args: ["-c", "make *"]}` allows `bash -c "make test"`, while
 * `{program: git, subcommand: status}` does not allow `git -c core.fsmonitor=… status`.
 */
export function isExplicitFor(rule: ArgvRule, program: string): boolean {
  if (rule.program !== program || hasGlob(rule.program)) return false;
  return (rule.args ?? []).some((glob) => glob !== "*" && glob !== "**");
}
