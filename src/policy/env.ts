import { UNKNOWN_WORD, type ResolvedWord } from "./words.js";

/** Variables that change which program runs or make programs run extra code. */
const DANGEROUS = new Set([
  "PATH",
  "ENV",
  "SHELLOPTS",
  "BASHOPTS",
  "PS4",
  "PROMPT_COMMAND",
  "CDPATH",
  "HOME",
  "PWD",
  "OLDPWD",
  "SHELL",
  "EDITOR",
  "VISUAL",
  "BROWSER",
  "LESSOPEN",
  "LESSCLOSE",
  "MANPAGER",
  "SSH_ASKPASS",
  "GCONV_PATH",
  "GLOBIGNORE", // setting it turns on dotglob: `*` starts matching `.git`
  "IFS",
  "MAKEFLAGS",
  "MFLAGS",
  "JAVA_TOOL_OPTIONS",
  "_JAVA_OPTIONS",
  "RUSTC_WRAPPER",
  "RUSTFLAGS",
  "CC",
  "CXX",
  "LDFLAGS",
  "CFLAGS",
  "CPPFLAGS",
  "TMPDIR",
]);

/**
 * Whole families of variables through which a program reads configuration, loads code, or writes
 * output somewhere else: git reads `$XDG_CONFIG_HOME/git/config` and writes `GIT_TRACE2_EVENT=<file>`,
 * Node writes `NODE_V8_COVERAGE` and `NODE_REDIRECT_WARNINGS`. A short list always misses a member,
 * so every name in these families is denied (the few harmless ones are listed in SAFE).
 */
const DANGEROUS_FAMILIES = [
  /^LD_/,
  /^DYLD_/,
  /^BASH/,
  /^GIT_/,
  /^NODE_/,
  /^NPM_/i,
  /^(YARN|PNPM|BUN|DENO|COREPACK)_/,
  /^XDG_/,
  /^PYTHON/,
  /^PERL/,
  /^RUBY/,
  /^GEM_/,
  /^BUNDLE_/,
  /^PIP_/,
  /^CARGO/,
  /^RUSTUP/,
  /^GO[A-Z]/,
  /^LESS/,
  /^SSH_/,
  /^GPG/,
  /^GNUPG/,
  /^MAVEN|^GRADLE/,
  /^DOCKER_/,
  /^VITEST|^JEST|^TS_NODE|^TSX_|^ESBUILD/,
];
/** A name one of whose `_`-separated parts (or whose end) says it points at a file, directory or program. */
const REDIRECTING_PART =
  /(^|_)(HOME|DIR|DIRS|PATH|PATHS|FILE|FILES|CONFIG|CONF|CFG|RC|OPT|OPTS|OPTIONS|FLAGS|PREFIX|CACHE|ROOT|LOG|LOGFILE|OUTPUT|OUT|TRACE|HOOK|HOOKS|COMMAND|CMD|PROGRAM|PROG|EXEC|EDITOR|SHELL|PAGER|PLUGIN|PLUGINS|MODULE|MODULES|LIB|LIBS|INCLUDE|LOADER|PRELOAD|PROFILE|COVERAGE|REPORT|REPORTER|WARNINGS|HISTFILE)(_|$)/;
const REDIRECTING_SUFFIX = /(DIR|DIRS|PATH|FILE|HOME|RC|CONFIG|OPTS|FLAGS)$/;
/** Members of the families above that only describe, never redirect. */
const SAFE = new Set([
  "NODE_ENV",
  "GIT_AUTHOR_NAME",
  "GIT_AUTHOR_EMAIL",
  "GIT_AUTHOR_DATE",
  "GIT_COMMITTER_NAME",
  "GIT_COMMITTER_EMAIL",
  "GIT_COMMITTER_DATE",
  "GIT_TERMINAL_PROMPT",
  "GIT_OPTIONAL_LOCKS",
  "GIT_FLUSH",
  "PYTHONDONTWRITEBYTECODE",
  "PYTHONUNBUFFERED",
  "PYTHONHASHSEED",
]);
/** Pagers are commands too; these values are known to be plain pagers. */
const PAGERS = new Set(["PAGER", "GIT_PAGER"]);
const SAFE_PAGERS = new Set(["", "cat", "less", "more", "less -R", "less -FRX"]);

/** Why assigning `name` is denied, or null. */
export function dangerousAssignment(name: string, value: ResolvedWord | null): string | null {
  if (PAGERS.has(name)) {
    if (value === null || (value.literal && SAFE_PAGERS.has(value.text))) return null;
    return `${name} names a program the pager would run`;
  }
  if (SAFE.has(name)) return null;
  if (
    DANGEROUS.has(name) ||
    DANGEROUS_FAMILIES.some((re) => re.test(name)) ||
    REDIRECTING_PART.test(name.toUpperCase()) ||
    REDIRECTING_SUFFIX.test(name.toUpperCase())
  ) {
    return `setting ${name} changes which program runs, where programs read their configuration or where they write`;
  }
  return null;
}

/**
 * Builtins that assign the variables they are given, with values known only at run time:
 * `read HOME`, `printf -v HOME …`, `mapfile PATH`, `getopts o HOME`. They are assignments like
 * `HOME=x`, so the same names are denied.
 */
export function builtinAssignments(
  program: string,
  argv: readonly ResolvedWord[],
): { name: string; value: ResolvedWord }[] {
  const args = argv.slice(1);
  const texts = args.map((w) => (w.literal ? w.text : "…"));
  const named = (names: string[]): { name: string; value: ResolvedWord }[] =>
    names
      .filter((n) => /^[A-Za-z_][A-Za-z0-9_]*/.test(n))
      .map((n) => ({ name: n.replace(/\[.*$/, ""), value: UNKNOWN_WORD }));
  switch (program) {
    case "read": {
      const names: string[] = [];
      for (let i = 0; i < texts.length; i++) {
        const t = texts[i]!;
        if (/^-[a-zA-Z]*[adinNptu]$/.test(t)) {
          if (t.endsWith("a")) names.push(texts[i + 1] ?? "");
          i++; // the option's value
        } else if (!t.startsWith("-")) names.push(t);
      }
      return named(names.length ? names : []);
    }
    case "mapfile":
    case "readarray": {
      const rest = texts.filter(
        (t, i) => !t.startsWith("-") && !/^-[a-zA-Z]*[dnOsuCc]$/.test(texts[i - 1] ?? ""),
      );
      return named(rest.length ? rest.slice(-1) : []);
    }
    case "printf": {
      const at = texts.findIndex((t) => t === "-v" || /^-v./.test(t));
      if (at < 0) return [];
      return named([texts[at] === "-v" ? (texts[at + 1] ?? "") : texts[at]!.slice(2)]);
    }
    case "getopts":
      return named(texts.filter((t) => !t.startsWith("-")).slice(1, 2));
    default:
      return [];
  }
}
