import { builtinAssignments, dangerousAssignment } from "./env.js";
import { checkWritePath, writeRoots } from "./paths.js";
import { shellQuote } from "../util/shell-quote.js";
import { programName } from "./program.js";
import { isExplicitFor, ruleMatches, unknownGlobalOption } from "./rules.js";
import { userRegExp } from "./regex.js";
import type { Policy } from "./schema.js";
import { alwaysDeniedShape } from "./shapes.js";
import { ShellSyntaxError, loadShellParser, loadedShellParser } from "./shell.js";
import type { DecideContext, Decision } from "./types.js";
import { type Unwrapped, unwrap } from "./unwrap.js";
import { type Script, type SimpleCommand, walkScript } from "./walk.js";
import type { ResolvedWord } from "./words.js";
import { checkWriter } from "./writers.js";
import { resolve } from "node:path";

/** Longer command strings are denied outright: parsing is linear, but a hook must answer quickly. */
export const MAX_COMMAND_LENGTH = 100_000;

type Verdict = { allowed: true; rule: string } | { allowed: false; rule: string; reason: string };

/**
 * Decides whether a command may run under `policy`. A string is parsed as a bash script and every
 * simple command in it must be allowed; an argv array is one simple command, never parsed by a shell.
 */
export async function decide(
  policy: Policy,
  command: string | readonly string[],
  ctx: DecideContext = {},
): Promise<Decision> {
  if (typeof command === "string") await loadShellParser();
  return decideSync(policy, command, ctx);
}

/**
 * The synchronous core of `decide`, for callers that awaited `loadShellParser()` once (the hook and
 * the benchmark). Throws if a command string arrives before the parser is loaded.
 */
export function decideSync(
  policy: Policy,
  command: string | readonly string[],
  ctx: DecideContext = {},
): Decision {
  const text = typeof command === "string" ? command : command.map(shellQuote).join(" ");
  const verdict = evaluate(policy, command, text, ctx);
  if (verdict.allowed) {
    return { allowed: true, rule: verdict.rule, reason: `allowed by ${verdict.rule}`, command: text };
  }
  return { allowed: false, rule: verdict.rule, reason: verdict.reason, command: text };
}

function evaluate(
  policy: Policy,
  command: string | readonly string[],
  text: string,
  ctx: DecideContext,
): Verdict {
  const raw = textRules(policy, text, "command");
  if (raw) return raw;
  if (text.length > MAX_COMMAND_LENGTH) {
    return {
      allowed: false,
      rule: "too-long",
      reason: `command is longer than ${MAX_COMMAND_LENGTH} characters`,
    };
  }
  if (text.includes("\0")) {
    return { allowed: false, rule: "parse-error", reason: "command contains a NUL byte" };
  }
  if (typeof command === "string" && text.includes("\r")) {
    // mvdan/sh reads a carriage return as a blank, bash as part of a word: they would see different commands.
    const reason = "command contains a carriage return, which shells and parsers split differently";
    return { allowed: false, rule: "parse-error", reason };
  }
  let script: Script;
  if (typeof command === "string") {
    const shell = loadedShellParser();
    try {
      script = walkScript(shell, shell.parse(command), command);
    } catch (error) {
      if (error instanceof ShellSyntaxError) {
        return {
          allowed: false,
          rule: "parse-error",
          reason: `the shell parser cannot parse it: ${error.message}`,
        };
      }
      // Fail closed: a script too deep for the stack (or any surprise in the walker) is a deny.
      const why = error instanceof RangeError ? "it is nested too deeply to check" : String(error);
      return { allowed: false, rule: "too-complex", reason: `the policy cannot check this command: ${why}` };
    }
  } else {
    const words = command.map((arg) => ({ text: arg, literal: true, pattern: false }));
    script = {
      commands: [{ words, assigns: [], repeated: false, source: text }],
      writes: [],
      findings: [],
      assigns: [],
    };
  }
  return evaluateScript(policy, script, ctx);
}

function textRules(policy: Policy, text: string, what: string): Verdict | null {
  for (const [i, needle] of policy.deny_if_contains.entries()) {
    if (text.includes(needle)) {
      return { allowed: false, rule: `deny_if_contains[${i}]`, reason: `${what} contains "${needle}"` };
    }
  }
  for (const [i, pattern] of policy.deny_patterns.entries()) {
    if (userRegExp(pattern).test(text)) {
      return { allowed: false, rule: `deny_patterns[${i}]`, reason: `${what} matches /${pattern}/` };
    }
  }
  return null;
}

function evaluateScript(policy: Policy, script: Script, ctx: DecideContext): Verdict {
  for (const finding of script.findings) {
    if (finding.kind === "substitution" && policy.allow_substitution) continue;
    return { allowed: false, rule: finding.rule, reason: finding.reason };
  }
  for (const assign of script.assigns) {
    const why = dangerousAssignment(assign.name, assign.value);
    if (why) return { allowed: false, rule: "dangerous-env", reason: `\`${assign.source}\`: ${why}` };
  }
  const cwd = resolve(ctx.cwd ?? process.cwd());
  const roots = writeRoots(policy.write_paths, resolve(ctx.root ?? cwd));
  const analysed = script.commands.map((c) => ({ command: c, unwrapped: unwrap(c.words) }));
  const cwds = possibleCwds(analysed, cwd);
  const allowedBy: string[] = [];
  for (const { command, unwrapped } of analysed) {
    const verdict = evaluateCommand(policy, command, unwrapped, cwds, roots);
    if (!verdict.allowed) return verdict;
    if (!allowedBy.includes(verdict.rule)) allowedBy.push(verdict.rule);
  }
  for (const write of script.writes) {
    const check = checkWritePath(write.target, cwds, roots);
    if (!check.ok)
      return {
        allowed: false,
        rule: "write-path",
        reason: `redirection \`${write.source}\`: ${check.reason}`,
      };
  }
  return { allowed: true, rule: allowedBy.length ? allowedBy.join(", ") : "empty" };
}

function evaluateCommand(
  policy: Policy,
  command: SimpleCommand,
  unwrapped: Unwrapped,
  cwds: readonly string[] | null,
  roots: readonly string[],
): Verdict {
  const where = `\`${command.source}\``;
  for (const assign of [...command.assigns, ...unwrapped.assigns]) {
    const why = dangerousAssignment(assign.name, assign.value);
    if (why) return { allowed: false, rule: "dangerous-env", reason: `${where}: ${why}` };
  }
  if (command.words.length > 0 && programName(command.words[0]) === null) {
    return {
      allowed: false,
      rule: "non-literal-program",
      reason: `${where}: the program name is known only at run time`,
    };
  }
  if (unwrapped.denial)
    return { allowed: false, rule: unwrapped.denial.rule, reason: `${where}: ${unwrapped.denial.reason}` };
  for (const target of unwrapped.writes) {
    const check = checkWritePath(target, cwds, roots);
    if (!check.ok) return { allowed: false, rule: "write-path", reason: `${where}: ${check.reason}` };
  }
  const argv = unwrapped.argv;
  if (argv.length === 0) return { allowed: true, rule: "no-command" };
  const program = programName(argv[0]);
  if (program === null) {
    return {
      allowed: false,
      rule: "non-literal-program",
      reason: `${where}: the program name is known only at run time`,
    };
  }
  for (const assign of builtinAssignments(program, argv)) {
    const why = dangerousAssignment(assign.name, assign.value);
    if (why)
      return {
        allowed: false,
        rule: "dangerous-env",
        reason: `${where}: \`${program}\` assigns ${assign.name}; ${why}`,
      };
  }
  const normalised = argv.map((w) => w.text).join(" ");
  const text = textRules(policy, normalised, `${where} (as \`${normalised}\`)`);
  if (text) return text;

  // Explicit deny rules see the real program and every wrapper around it.
  for (const layer of [...unwrapped.wrappers, argv]) {
    const name = programName(layer[0]);
    if (name === null) continue;
    const index = policy.deny.findIndex((rule) => ruleMatches(rule, name, layer, "deny"));
    if (index >= 0) {
      const rule = policy.deny[index]!;
      const why = rule.description ? `: ${rule.description}` : "";
      return {
        allowed: false,
        rule: `deny[${index}]`,
        reason: `${where} matches deny rule ${describe(rule)}${why}`,
      };
    }
  }
  let allowIndex = policy.allow.findIndex((rule) => ruleMatches(rule, program, argv, "allow"));
  const shape = alwaysDeniedShape(program, argv);
  if (shape) {
    // Only an explicit rule (program named, arguments spelled out) may allow an always-denied shape.
    allowIndex = policy.allow.findIndex(
      (rule) => isExplicitFor(rule, program) && ruleMatches(rule, program, argv, "allow"),
    );
    if (allowIndex < 0) return { allowed: false, rule: shape.rule, reason: `${where}: ${shape.reason}` };
  }
  const unknown = unknownGlobalOption(program, argv);
  if (unknown) {
    return {
      allowed: false,
      rule: "unknown-option",
      reason: `${where}: \`${program} ${unknown}\` is an option whose arity the policy does not know, so it cannot tell which subcommand runs`,
    };
  }
  const writer = checkWriter(program, argv, cwds, roots);
  if (writer) return { allowed: false, rule: "write-path", reason: `${where}: ${writer.reason}` };
  if (allowIndex >= 0) return { allowed: true, rule: `allow[${allowIndex}]` };
  if (policy.default_action === "allow") return { allowed: true, rule: "default_action" };
  return {
    allowed: false,
    rule: "default_action",
    reason: `${where}: no allow rule matches \`${program}\` and default_action is deny`,
  };
}

function describe(rule: Policy["deny"][number]): string {
  return [rule.program, rule.subcommand, ...(rule.args ?? [])].filter((x) => x !== undefined).join(" ");
}

const CD = new Set(["cd", "pushd", "popd"]);

/**
 * Every directory a command may run in. `cd` targets are followed (all of them, in any order, which
 * is conservative); a `cd` the policy cannot follow (no argument, `-`, an expansion, `popd`, or a
 * relative `cd` that may repeat in a loop or function) makes the directory unknown (null).
 */
function possibleCwds(
  analysed: { command: SimpleCommand; unwrapped: Unwrapped }[],
  cwd: string,
): string[] | null {
  let cwds = [cwd];
  for (const { command, unwrapped } of analysed) {
    const program = programName(unwrapped.argv[0]);
    if (program === null || !CD.has(program)) continue;
    const target = cdTarget(unwrapped.argv);
    if (program === "popd" || !target || !target.literal || target.pattern || /^[-+]/.test(target.text))
      return null;
    if (target.text.startsWith("/")) {
      cwds = [...cwds, resolve(target.text)];
    } else if (command.repeated) {
      return null;
    } else {
      cwds = [...cwds, ...cwds.map((dir) => resolve(dir, target.text))];
    }
    if (cwds.length > 64) return null;
  }
  return [...new Set(cwds)];
}

/**
 * The directory operand of `cd`/`pushd`: the first argument after the options (`-L`, `-P`, `-e`,
 * `-@`, pushd's `-n`) and an optional `--`. `cd -- ..` goes up like `cd ..`.
 */
function cdTarget(argv: readonly ResolvedWord[]): ResolvedWord | undefined {
  let i = 1;
  while (i < argv.length && argv[i]!.literal && /^-[LPe@n]+$/.test(argv[i]!.text)) i++;
  if (argv[i]?.literal && argv[i]!.text === "--") i++;
  return argv[i];
}
