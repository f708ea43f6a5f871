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

interface GlobalOptions {
  /** Options that take the next word as their value (or `--name=value`). */
  withValue: Set<string>;
  /** Options that take no value. */
  flags: Set<string>;
}
const options = (withValue: string[], flags: string[]): GlobalOptions => ({
  withValue: new Set(withValue),
  flags: new Set(flags),
});

/**
 * The global options of programs whose rules name subcommands, so that the subcommand is found after
 * them: `git -C dir -c k=v push` has subcommand `push`. An option missing here has an arity the
 * policy does not know (`git --shallow-file status …` makes `status` the option's value), so it is
 * denied rather than guessed (see `unknownGlobalOption`).
 */
const GLOBAL_OPTIONS: Record<string, GlobalOptions> = {
  git: options(
    [
      "-C",
      "-c",
      "--git-dir",
      "--work-tree",
      "--namespace",
      "--super-prefix",
      "--config-env",
      "--exec-path",
      "--list-cmds",
      "--attr-source",
    ],
    [
      "-v",
      "--version",
      "-h",
      "--help",
      "-p",
      "--paginate",
      "-P",
      "--no-pager",
      "--no-replace-objects",
      "--no-lazy-fetch",
      "--no-optional-locks",
      "--no-advice",
      "--bare",
      "--literal-pathspecs",
      "--glob-pathspecs",
      "--noglob-pathspecs",
      "--icase-pathspecs",
      "--html-path",
      "--man-path",
      "--info-path",
    ],
  ),
  npm: options(
    [
      "--prefix",
      "-C",
      "-w",
      "--workspace",
      "--userconfig",
      "--cache",
      "--registry",
      "--loglevel",
      "--otp",
      "--tag",
      "--omit",
      "--include",
      "--scope",
      "--location",
      "--audit-level",
      "--install-strategy",
    ],
    [
      "-s",
      "--silent",
      "-q",
      "--quiet",
      "-d",
      "-dd",
      "-ddd",
      "--verbose",
      "-l",
      "--long",
      "-g",
      "--global",
      "-y",
      "--yes",
      "--no-yes",
      "-f",
      "--force",
      "--json",
      "--parseable",
      "-p",
      "--offline",
      "--prefer-offline",
      "--prefer-online",
      "--no-audit",
      "--audit",
      "--no-fund",
      "--fund",
      "--ignore-scripts",
      "--legacy-peer-deps",
      "--strict-peer-deps",
      "--foreground-scripts",
      "--workspaces",
      "--ws",
      "--include-workspace-root",
      "--if-present",
      "--no-color",
      "--color",
      "--dry-run",
      "--no-progress",
      "--progress",
      "--timing",
      "--no-update-notifier",
      "-v",
      "--version",
      "-h",
      "--help",
      "--usage",
    ],
  ),
  pnpm: options(
    ["-C", "--dir", "--filter", "-F", "--workspace-dir", "--reporter", "--loglevel"],
    [
      "-r",
      "--recursive",
      "-s",
      "--silent",
      "-w",
      "--workspace-root",
      "--stream",
      "--parallel",
      "--aggregate-output",
      "--color",
      "--no-color",
      "-g",
      "--global",
      "--frozen-lockfile",
      "--offline",
      "--prefer-offline",
      "--if-present",
      "-v",
      "--version",
      "-h",
      "--help",
    ],
  ),
  yarn: options(
    ["--cwd"],
    [
      "-s",
      "--silent",
      "--verbose",
      "--offline",
      "--frozen-lockfile",
      "--immutable",
      "--json",
      "--no-progress",
      "-v",
      "--version",
      "-h",
      "--help",
    ],
  ),
  docker: options(
    [
      "-H",
      "--host",
      "--context",
      "-c",
      "--config",
      "-l",
      "--log-level",
      "--tlscacert",
      "--tlscert",
      "--tlskey",
    ],
    ["-D", "--debug", "--tls", "--tlsverify", "-v", "--version", "-h", "--help"],
  ),
  cargo: options(
    ["-C", "--config", "-Z", "--color", "--explain"],
    [
      "-q",
      "--quiet",
      "-v",
      "-vv",
      "--verbose",
      "--frozen",
      "--locked",
      "--offline",
      "-V",
      "--version",
      "--list",
      "-h",
      "--help",
    ],
  ),
  go: options([], []),
};

/** Index of the subcommand in argv (after global options), -1 when there is none, -2 when unknown. */
export function subcommandIndex(program: string, argv: readonly ResolvedWord[]): number {
  const known = GLOBAL_OPTIONS[program];
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.literal) return i; // unknown: could be an option or the subcommand
    if (word.text === "--") return i + 1 < argv.length ? i + 1 : -1;
    if (!word.text.startsWith("-")) return i;
    if (!known) continue;
    const arity = optionArity(known, word.text);
    if (arity === null) return -2;
    i += arity;
  }
  return -1;
}

/** How many words after an option are its value (0 or 1), or null when the option is not known. */
function optionArity(known: GlobalOptions, text: string): number | null {
  const eq = text.startsWith("--") ? text.indexOf("=") : -1;
  const name = eq < 0 ? text : text.slice(0, eq);
  if (known.withValue.has(name)) return eq < 0 ? 1 : 0;
  if (known.flags.has(name) && eq < 0) return 0;
  return null;
}

/**
 * The first option before the subcommand whose arity the policy does not know, for programs whose
 * global options it lists; null when every option is known or the program has no list.
 */
export function unknownGlobalOption(program: string, argv: readonly ResolvedWord[]): string | null {
  const known = GLOBAL_OPTIONS[program];
  if (!known) return null;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.literal || word.text === "--" || !word.text.startsWith("-")) return null;
    const arity = optionArity(known, word.text);
    if (arity === null) return word.text;
    i += arity;
  }
  return null;
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
    // An option of unknown arity hides the subcommand: it could be the denied one.
    if (index === -2) return mode === "deny";
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
