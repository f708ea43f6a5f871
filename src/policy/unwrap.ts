import { programName } from "./program.js";
import { type ResolvedWord, UNKNOWN_WORD } from "./words.js";

/** A simple command after its wrappers (`env`, `sudo`, `timeout`, `xargs`…) are peeled off. */
export interface Unwrapped {
  /** The argv that really runs: argv[0] is the program. Empty when nothing runs (`exec >f`). */
  argv: ResolvedWord[];
  /** Each wrapper's own argv, outermost first (deny rules see them too: `deny: [{program: sudo}]`). */
  wrappers: ResolvedWord[][];
  /** `VAR=value` given through `env` or `sudo`. */
  assigns: { name: string; value: ResolvedWord }[];
  /** Files a wrapper writes itself (`time -o FILE`). */
  writes: ResolvedWord[];
  /** Set when the wrapper's own syntax cannot be followed safely. */
  denial?: { rule: string; reason: string };
}

interface OptionSpec {
  /** Options that take the next word (or an attached value) as their value. */
  withValue: Set<string>;
  /** Options without a value. */
  flags: Set<string>;
  /** Single-letter options whose value may be attached (`-n5`, `-I{}`). */
  attached?: Set<string>;
}

const spec = (withValue: string[], flags: string[], attached: string[] = []): OptionSpec => ({
  withValue: new Set(withValue),
  flags: new Set(flags),
  attached: new Set(attached),
});

const WRAPPERS: Record<string, OptionSpec> = {
  env: spec(
    ["-u", "--unset", "-C", "--chdir"],
    ["-i", "--ignore-environment", "-0", "--null", "-v", "--debug", "-"],
    ["-u", "-C"],
  ),
  command: spec([], ["-p"]),
  builtin: spec([], []),
  exec: spec(["-a"], ["-c", "-l"]),
  nohup: spec([], []),
  nice: spec(["-n", "--adjustment"], [], ["-n"]),
  timeout: spec(
    ["-s", "--signal", "-k", "--kill-after"],
    ["--preserve-status", "--foreground", "-v", "--verbose"],
    ["-s", "-k"],
  ),
  stdbuf: spec(["-i", "-o", "-e", "--input", "--output", "--error"], [], ["-i", "-o", "-e"]),
  time: spec(
    ["-f", "--format", "-o", "--output"],
    ["-p", "-v", "--verbose", "-a", "--append", "--portability", "-q", "--quiet"],
  ),
  xargs: spec(
    [
      "-I",
      "-L",
      "-n",
      "-P",
      "-s",
      "-E",
      "-d",
      "-a",
      "--arg-file",
      "--delimiter",
      "--max-args",
      "--max-lines",
      "--max-procs",
      "--max-chars",
      "--eof",
      "--process-slot-var",
    ],
    [
      "-0",
      "-r",
      "-t",
      "-p",
      "-x",
      "-o",
      "--null",
      "--no-run-if-empty",
      "--verbose",
      "--interactive",
      "--exit",
      "--open-tty",
      "-i",
      "-l",
      "-e",
      "--replace",
    ],
    ["-I", "-L", "-n", "-P", "-s", "-E", "-d", "-a", "-i", "-l", "-e"],
  ),
  sudo: spec(
    [
      "-u",
      "--user",
      "-g",
      "--group",
      "-C",
      "--close-from",
      "-D",
      "--chdir",
      "-h",
      "--host",
      "-p",
      "--prompt",
      "-r",
      "--role",
      "-t",
      "--type",
      "-T",
      "--command-timeout",
      "-U",
      "--other-user",
      "-R",
      "--chroot",
    ],
    [
      "-A",
      "--askpass",
      "-b",
      "--background",
      "-E",
      "--preserve-env",
      "-H",
      "--set-home",
      "-k",
      "--reset-timestamp",
      "-K",
      "-n",
      "--non-interactive",
      "-P",
      "--preserve-groups",
      "-S",
      "--stdin",
      "-N",
      "--no-update",
      "-B",
      "--bell",
    ],
    ["-u", "-g", "-C", "-D", "-p", "-r", "-t", "-T", "-U", "-R"],
  ),
  doas: spec(["-u", "-C"], ["-n"], ["-u"]),
};

/** Options of `command` that only look a name up instead of running it. */
const LOOKUP_ONLY = new Set(["-v", "-V"]);
const SHELL_OPTIONS = new Set(["-s", "--shell", "-i", "--login"]);

/** Peels wrappers off a simple command until the program that really runs is first. */
export function unwrap(words: readonly ResolvedWord[]): Unwrapped {
  const result: Unwrapped = { argv: [...words], wrappers: [], assigns: [], writes: [] };
  for (let depth = 0; depth < 32; depth++) {
    const name = programName(result.argv[0]);
    if (name === null || !(name in WRAPPERS)) return result;
    const wrapper = name;
    const options = WRAPPERS[wrapper]!;
    const args = result.argv.slice(1);
    let i = 0;
    let positional: ResolvedWord | undefined; // timeout's DURATION
    let sawEnd = false;
    while (i < args.length) {
      const word = args[i]!;
      if (!word.literal) {
        return deny(result, wrapper, `\`${wrapper}\` has an argument known only at run time`);
      }
      const arg = word.text;
      if (sawEnd || !arg.startsWith("-") || (arg === "-" && wrapper !== "env")) break;
      if (arg === "--") {
        sawEnd = true;
        i++;
        break;
      }
      if (wrapper === "env" && (arg === "-S" || arg.startsWith("--split-string") || /^-[^-]*S/.test(arg))) {
        return deny(result, wrapper, "`env -S` splits a string into a command the policy cannot see");
      }
      if (wrapper === "command" && LOOKUP_ONLY.has(arg)) return result; // `command -v x` runs nothing
      if (
        (wrapper === "sudo" || wrapper === "doas") &&
        (SHELL_OPTIONS.has(arg) || arg === "-e" || arg === "--edit")
      ) {
        return deny(result, wrapper, `\`${wrapper} ${arg}\` runs a shell or an editor`);
      }
      if (wrapper === "nice" && /^-[0-9]+$/.test(arg)) {
        i++;
        continue;
      }
      const [flag, inline] = arg.startsWith("--") ? splitLong(arg) : [arg, undefined];
      if (options.flags.has(flag)) {
        i++;
        continue;
      }
      if (options.withValue.has(flag)) {
        const value = inline !== undefined ? { text: inline, literal: true, pattern: false } : args[i + 1];
        if (!value) return deny(result, wrapper, `\`${wrapper} ${flag}\` lacks its value`);
        if (wrapper === "time" && (flag === "-o" || flag === "--output")) result.writes.push(value);
        if (wrapper === "env" && (flag === "-C" || flag === "--chdir")) {
          return deny(result, wrapper, "`env -C` changes the directory the command runs in");
        }
        i += inline !== undefined ? 1 : 2;
        continue;
      }
      const short = arg.slice(0, 2);
      if (!arg.startsWith("--") && options.attached?.has(short) && arg.length > 2) {
        if (wrapper === "time" && short === "-o") result.writes.push({ ...word, text: arg.slice(2) });
        if (wrapper === "env" && short === "-C") {
          return deny(result, wrapper, "`env -C` changes the directory the command runs in");
        }
        i++;
        continue;
      }
      return deny(
        result,
        wrapper,
        `\`${wrapper}\` option \`${arg}\` is not understood, so its command cannot be found`,
      );
    }
    if ((wrapper === "env" || wrapper === "sudo") && !sawEnd) {
      while (i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i]!.text) && args[i]!.literal) {
        const text = args[i]!.text;
        const eq = text.indexOf("=");
        result.assigns.push({ name: text.slice(0, eq), value: { ...args[i]!, text: text.slice(eq + 1) } });
        i++;
      }
    }
    if (wrapper === "timeout") {
      positional = args[i];
      if (!positional) return deny(result, wrapper, "`timeout` lacks its duration");
      i++;
    }
    const inner = args.slice(i);
    result.wrappers.push(result.argv.slice(0, result.argv.length - inner.length));
    if (wrapper === "xargs") {
      // xargs appends words read from stdin; with no command it runs `echo`.
      const base = inner.length ? inner : [{ text: "echo", literal: true, pattern: false }];
      result.argv = [...base, UNKNOWN_WORD];
      return continueUnwrap(result);
    }
    if (inner.length === 0) {
      // `env` alone prints the environment; `exec >f` only redirects; `nohup`, `nice`… need a command.
      result.argv = wrapper === "env" || wrapper === "time" ? result.wrappers.pop()! : [];
      return result;
    }
    result.argv = inner;
  }
  return deny(result, "wrapper", "too many nested wrappers");
}

/** `xargs sudo rm` — the command xargs runs may itself be wrapped. */
function continueUnwrap(result: Unwrapped): Unwrapped {
  const inner = unwrap(result.argv);
  return {
    argv: inner.argv,
    wrappers: [...result.wrappers, ...inner.wrappers],
    assigns: [...result.assigns, ...inner.assigns],
    writes: [...result.writes, ...inner.writes],
    denial: inner.denial,
  };
}

function splitLong(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function deny(result: Unwrapped, wrapper: string, reason: string): Unwrapped {
  return { ...result, denial: { rule: `always-deny:${wrapper}`, reason } };
}
