import { subcommandIndex } from "./rules.js";
import type { ResolvedWord } from "./words.js";

/** A shape that is denied unless an allow rule names its program exactly and matches. */
export interface ShapeDenial {
  rule: string;
  reason: string;
}

const SHELLS = new Set([
  "sh",
  "bash",
  "zsh",
  "dash",
  "ksh",
  "mksh",
  "ash",
  "yash",
  "fish",
  "csh",
  "tcsh",
  "rbash",
  "busybox",
  "pwsh",
  "powershell",
]);

/** Interpreters and the options that take inline code. Without a script file they read code from stdin. */
const INTERPRETERS: Record<string, string[]> = {
  python: ["-c"],
  pypy: ["-c"],
  node: ["-e", "--eval", "-p", "--print"],
  nodejs: ["-e", "--eval", "-p", "--print"],
  bun: ["-e", "--eval", "-p", "--print"],
  deno: ["eval"],
  perl: ["-e", "-E"],
  ruby: ["-e"],
  php: ["-r"],
  lua: ["-e"],
  luajit: ["-e"],
  tclsh: [],
  Rscript: ["-e"],
  osascript: ["-e"],
};
/** Their program text is code whatever the options: always explicit. */
const CODE_LANGUAGES = new Set(["awk", "gawk", "mawk", "nawk", "jq"]);

/** Programs whose purpose is to run another command, which the policy could not see. */
const COMMAND_RUNNERS = new Set([
  "eval",
  "source",
  ".",
  "watch",
  "setsid",
  "flock",
  "chroot",
  "ionice",
  "taskset",
  "strace",
  "ltrace",
  "script",
  "su",
  "runuser",
  "parallel",
  "unbuffer",
  "firejail",
  "systemd-run",
  "ssh",
  "expect",
  "gdb",
  "valgrind",
  "tmux",
  "screen",
  "nsenter",
  "unshare",
  "trap",
  "alias",
  "enable",
  "shopt",
  "fc",
]);

const FIND_ACTIONS: Record<string, string> = {
  "-delete": "deletes files",
  "-exec": "runs a command",
  "-execdir": "runs a command",
  "-ok": "runs a command",
  "-okdir": "runs a command",
  "-fprint": "writes a file",
  "-fprint0": "writes a file",
  "-fprintf": "writes a file",
  "-fls": "writes a file",
};

/** git subcommands that run other programs or rewrite configuration. */
const GIT_RUNNERS: Record<string, string> = {
  config: "changes configuration that later runs commands (core.pager, core.fsmonitor, aliases)",
  difftool: "runs an external diff tool",
  mergetool: "runs an external merge tool",
  "filter-branch": "runs shell snippets over history",
  "filter-repo": "runs code over history",
};
const TAR_EXEC =
  /^(--to-command|--checkpoint-action|--use-compress-program|-I|--rsh-command|--info-script|--new-volume-script|-F)/;
const GIT_EXEC_OPTIONS = /^(--upload-pack|--receive-pack|--exec|--extcmd|--tool|-x$)/;

function literalTexts(argv: readonly ResolvedWord[]): string[] {
  return argv.map((w) => (w.literal ? w.text : "…"));
}

/**
 * Builtins that take variable names. bash evaluates an array subscript in a name, expansions included:
 * `printf -v 'a[$(cmd)]' x` runs cmd. `mapfile -C` runs a callback.
 */
const TAKES_VARIABLE_NAMES = new Set([
  "printf",
  "read",
  "mapfile",
  "readarray",
  "declare",
  "typeset",
  "local",
  "export",
  "readonly",
  "unset",
  "test",
  "[",
  "wait",
  "getopts",
]);
const SUBSCRIPT_WITH_EXPANSION = /\[[^\]]*[$`]/;

/** Returns why this argv is an always-denied shape, or null. `program` is argv[0]'s rule name. */
export function alwaysDeniedShape(program: string, argv: readonly ResolvedWord[]): ShapeDenial | null {
  const args = literalTexts(argv).slice(1);
  if (TAKES_VARIABLE_NAMES.has(program)) {
    const named = args.find((a) => SUBSCRIPT_WITH_EXPANSION.test(a));
    if (named)
      return {
        rule: "always-deny:subscript",
        reason: `\`${named}\` is a variable name whose subscript bash would expand and run`,
      };
    if ((program === "mapfile" || program === "readarray") && args.some((a) => /^-[a-zA-Z]*C/.test(a))) {
      return { rule: "always-deny:mapfile-callback", reason: `\`${program} -C\` runs a callback command` };
    }
  }
  if (SHELLS.has(program)) {
    const how = args.includes("-c")
      ? `\`${program} -c\` runs a command string`
      : `\`${program}\` runs a script or stdin`;
    return { rule: "always-deny:shell", reason: `${how} the policy cannot see` };
  }
  if (COMMAND_RUNNERS.has(program)) {
    return {
      rule: `always-deny:${program === "." ? "source" : program}`,
      reason: `\`${program}\` runs code the policy cannot see`,
    };
  }
  const interpreter = interpreterKey(program);
  if (interpreter) {
    const inline = INTERPRETERS[interpreter]!;
    const codeFlag = args.find((a) => inline.some((flag) => isInlineFlag(a, flag)) || a.includes("data:"));
    if (codeFlag)
      return { rule: "always-deny:inline-code", reason: `\`${program} ${codeFlag}\` runs inline code` };
    const script = args.find((a) => !a.startsWith("-"));
    if (script === undefined || script === "-") {
      return {
        rule: "always-deny:inline-code",
        reason: `\`${program}\` without a script reads code from stdin`,
      };
    }
    return null;
  }
  if (CODE_LANGUAGES.has(program)) {
    return {
      rule: "always-deny:inline-code",
      reason: `\`${program}\` programs are code (\`system()\`, file writes)`,
    };
  }
  if (program === "find") {
    const action = args.find((a) => a in FIND_ACTIONS);
    if (action) return { rule: "always-deny:find", reason: `\`find ${action}\` ${FIND_ACTIONS[action]}` };
  }
  if (program === "sed") return sedShape(args);
  if (PACKAGE_MANAGERS.has(program)) return packageManagerShape(program, args);
  if (program === "make" || program === "gmake") {
    const option = args.find((a) => a === "-E" || a.startsWith("--eval"));
    if (option)
      return {
        rule: "always-deny:inline-code",
        reason: `\`${program} ${option}\` evaluates inline make code`,
      };
  }
  if (program === "tar") {
    const option = args.find((a) => TAR_EXEC.test(a));
    if (option) return { rule: "always-deny:tar", reason: `\`tar ${option}\` runs another program` };
  }
  if (program === "rsync") {
    const option = args.find((a) => /^(-e|--rsh|--rsync-path)/.test(a));
    if (option) return { rule: "always-deny:rsync", reason: `\`rsync ${option}\` runs another program` };
  }
  if (program === "git") return gitShape(argv);
  return null;
}

/** `-c`, `--eval=…`, or a short-option cluster holding the letter (`python -Bc`, `node -pe`). */
function isInlineFlag(arg: string, flag: string): boolean {
  if (arg === flag) return true;
  if (flag.startsWith("--")) return arg.startsWith(`${flag}=`);
  if (flag.startsWith("-") && /^-[A-Za-z0-9]+/.test(arg) && !arg.startsWith("--")) {
    return /^-[A-Za-z0-9]*$/.test(arg) ? arg.includes(flag[1]!) : arg.startsWith(flag);
  }
  return false;
}

const PACKAGE_MANAGERS = new Set(["npm", "npx", "pnpm", "pnpx", "yarn", "bun", "bunx"]);
/**
 * Configuration keys that choose the shell or a program, inject code into every script the manager
 * runs, or read configuration from elsewhere. npm (nopt) accepts any unambiguous abbreviation of a
 * long option (`--script-shel=`, `--usercon`, `--node-opt=`) and spells keys with `_` or `-`, so an
 * option that is a prefix of one of these keys is denied too.
 */
const PACKAGE_MANAGER_CONFIG = [
  "script-shell",
  "node-options",
  "userconfig",
  "globalconfig",
  "shell",
  "init-module",
  "git",
  "editor",
  "browser",
  "viewer",
  "node-gyp",
];
/** Whole keys that are harmless although they begin a key above (`--global`, `globalconfig`). */
const PACKAGE_MANAGER_SAFE_KEYS = new Set(["global"]);

function configOption(arg: string): boolean {
  if (!arg.startsWith("--")) return false;
  const key = arg.slice(2).split("=")[0]!.toLowerCase().replace(/_/g, "-");
  if (key === "" || key.startsWith("no-") || PACKAGE_MANAGER_SAFE_KEYS.has(key)) return false;
  return PACKAGE_MANAGER_CONFIG.some((name) => name.startsWith(key));
}

function packageManagerShape(program: string, args: readonly string[]): ShapeDenial | null {
  const end = args.indexOf("--");
  const own = end < 0 ? args : args.slice(0, end);
  const config = own.find(configOption);
  if (config)
    return {
      rule: "always-deny:package-manager-config",
      reason: `\`${program} ${config}\` changes the shell or code every script runs with`,
    };
  // `npx -c 'cmd'`, `npm exec -c 'cmd'`: a shell command string (options before the package name only).
  // The subcommand as the argv rules see it (after options of known arity): `npm --otp test exec`.
  const sub = subcommandIndex(program, [
    { text: program, literal: true, pattern: false },
    ...own.map((text) => ({ text, literal: text !== "…", pattern: false })),
  ]);
  const firstPositional = sub >= 0 ? sub - 1 : sub === -2 ? own.findIndex((a) => !a.startsWith("-")) : -1;
  const isExec = program.endsWith("x") || ["exec", "x", "dlx"].includes(own[firstPositional] ?? "");
  const head = program.endsWith("x")
    ? own.slice(0, firstPositional < 0 ? own.length : firstPositional)
    : own.slice(firstPositional + 1);
  if (isExec) {
    const upTo = head.findIndex((a) => !a.startsWith("-"));
    const options = upTo < 0 ? head : head.slice(0, upTo);
    const call = options.find((a) => a === "-c" || a.startsWith("--call"));
    if (call)
      return { rule: "always-deny:shell", reason: `\`${program} ${call}\` runs a shell command string` };
  }
  return null;
}

function interpreterKey(program: string): string | null {
  if (program in INTERPRETERS) return program;
  const base = program.replace(/[0-9.]+$/, ""); // python3, python3.12, perl5, lua5.4
  if (base !== program && base in INTERPRETERS) return base;
  return null;
}

function gitShape(argv: readonly ResolvedWord[]): ShapeDenial | null {
  const texts = literalTexts(argv);
  const sub = subcommandIndex("git", argv);
  const globals = texts.slice(1, sub < 0 ? texts.length : sub);
  const config = globals.find(
    (a) =>
      a === "-c" ||
      a.startsWith("--config-env") ||
      a.startsWith("--exec-path=") ||
      a.startsWith("--git-dir") ||
      a.startsWith("--work-tree"),
  );
  if (config) {
    return {
      rule: "always-deny:git-config",
      reason: `\`git ${config}\` sets configuration that can run commands (core.pager, core.fsmonitor…)`,
    };
  }
  if (sub < 0) return null;
  const name = texts[sub]!;
  if (name in GIT_RUNNERS)
    return { rule: "always-deny:git-runs-command", reason: `\`git ${name}\` ${GIT_RUNNERS[name]}` };
  const rest = texts.slice(sub + 1);
  if ((name === "submodule" && rest.includes("foreach")) || (name === "bisect" && rest.includes("run"))) {
    return {
      rule: "always-deny:git-runs-command",
      reason: `\`git ${name} ${rest.includes("run") ? "run" : "foreach"}\` runs shell commands`,
    };
  }
  const option = rest.find((a) => GIT_EXEC_OPTIONS.test(a) || (name === "clone" && a === "-u"));
  if (option)
    return { rule: "always-deny:git-runs-command", reason: `\`git ${name} ${option}\` runs another program` };
  return null;
}

/** GNU sed can run commands (`e`, the `s///e` flag) and write files (`w`, `W`, `s///w`). */
function sedShape(args: readonly string[]): ShapeDenial | null {
  const scripts: string[] = [];
  let explicit = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-e" || a === "--expression") {
      scripts.push(args[++i] ?? "");
      explicit = true;
    } else if (a.startsWith("--expression=")) {
      scripts.push(a.slice(13));
      explicit = true;
    } else if (a === "-f" || a.startsWith("--file") || (/^-[^-]*f/.test(a) && !a.startsWith("--"))) {
      return { rule: "always-deny:sed", reason: "`sed -f` runs a script file the policy cannot see" };
    } else if (!a.startsWith("-") && !explicit) {
      scripts.push(a);
      explicit = true;
    }
  }
  for (const script of scripts) {
    if (script === "…" || sedRunsOrWrites(script)) {
      return {
        rule: "always-deny:sed",
        reason: `\`sed\` script \`${script}\` may run a command or write a file (e, w)`,
      };
    }
  }
  return null;
}

/** A small scanner over sed's command syntax: addresses, then one command letter. */
function sedRunsOrWrites(script: string): boolean {
  let i = 0;
  const n = script.length;
  const skipDelimited = (delim: string): void => {
    while (i < n && script[i] !== delim) i += script[i] === "\\" ? 2 : 1;
    i++;
  };
  while (i < n) {
    while (i < n && /[\s;{}!]/.test(script[i]!)) i++;
    // Addresses: numbers, $, /re/, \cREc, with , ~ + between.
    for (;;) {
      if (i >= n) return false;
      const c = script[i]!;
      if (/[0-9$,~+\s!]/.test(c)) i++;
      else if (c === "/") {
        i++;
        skipDelimited("/");
        while (i < n && /[IM]/.test(script[i]!)) i++;
      } else if (c === "\\") {
        const d = script[i + 1] ?? "";
        i += 2;
        skipDelimited(d);
      } else break;
    }
    const cmd = script[i++]!;
    if (cmd === "e" || cmd === "w" || cmd === "W") return true;
    if (cmd === "s" || cmd === "y") {
      const d = script[i++] ?? "";
      skipDelimited(d);
      skipDelimited(d);
      if (cmd === "s") {
        const flags = /^[^;}\n]*/.exec(script.slice(i))![0];
        if (/[ew]/.test(flags)) return true;
        i += flags.length;
      }
    } else if ("aicbtTrR:#lqQvLF=".includes(cmd)) {
      while (i < n && script[i] !== "\n" && !(";}".includes(script[i]!) && "btTlqQvL".includes(cmd))) i++;
    } else if (!"{}dDgGhHnNpPxzl=".includes(cmd)) {
      return true; // unknown command letter: fail closed
    }
  }
  return false;
}
