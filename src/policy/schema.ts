import { z } from "zod";
import { userRegExpError } from "./regex.js";

/**
 * One argv rule: a program, optionally its git-style subcommand, optionally globs for the remaining
 * arguments. Matching is on the argv after quotes are resolved and wrappers (`env`, `sudo`, `xargs`…)
 * are unwrapped, so `"git" -C . status` and `env git status` both match `{program: git, subcommand: status}`.
 */
export const ArgvRuleSchema = z.strictObject({
  /**
   * The program: a bare name (`git`, matched against the basename of programs in standard bin
   * directories such as `/usr/bin/git`), an exact path as written (`./scripts/test.sh`), or `*`.
   */
  program: z.string().min(1, "program must not be empty"),
  /**
   * The subcommand: the first non-option argument after the program's global options
   * (`git -C dir --no-pager push` has subcommand `push`). Glob characters are allowed.
   */
  subcommand: z.string().min(1).optional(),
  /**
   * Globs for the arguments after the program (and subcommand), matched one to one and in order.
   * `*` matches any characters, `?` one character, and an element that is exactly `**` matches any
   * number of whole arguments (including none). Omitted: any arguments.
   */
  args: z.array(z.string()).optional(),
  /** Why the rule exists; shown in the decision's reason. */
  description: z.string().optional(),
});
export type ArgvRule = z.infer<typeof ArgvRuleSchema>;

/** A regular expression a user wrote; it must run on the linear-time engine (see `userRegExp`). */
const regex = z.string().superRefine((source, ctx) => {
  const why = userRegExpError(source);
  if (why) ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${why}` });
});

/**
 * An execution policy (the `execution_policy` keys, decided on the parsed command): which shell commands an agent or a
 * playbook may run. Deny checks run before allow checks; anything not decided by a rule falls to
 * `default_action`.
 */
export const PolicySchema = z.strictObject({
  /** What happens to a command no rule decides: `allow` or `deny` (the safe choice). */
  default_action: z.enum(["allow", "deny"]).default("deny"),
  /** Substrings that deny a command when found in its raw text or in any normalised simple command. */
  deny_if_contains: z.array(z.string().min(1)).default([]),
  /**
   * Regular expressions tested like `deny_if_contains`, in JavaScript syntax but run by a linear-time
   * (RE2) engine: look-around and back-references are refused when the policy loads.
   */
  deny_patterns: z.array(regex).default([]),
  /** Stop the run at the first denied command (true) or skip it and go on (false). */
  stop_on_deny: z.boolean().default(true),
  /** Argv rules that allow a simple command. Always-denied shapes need a rule naming the program exactly. */
  allow: z.array(ArgvRuleSchema).default([]),
  /** Argv rules that deny a simple command; they win over `allow`. */
  deny: z.array(ArgvRuleSchema).default([]),
  /**
   * Directories where redirections (`>`, `>>`, `&>`…) and known writers (`rm`, `mv`, `cp`, `tee`…)
   * may write. Relative entries resolve against the working directory (the worktree). Default: `["."]`.
   */
  write_paths: z.array(z.string().min(1)).default(["."]),
  /**
   * Allow command substitution `$(…)`, backquotes and process substitution `<(…)` when every command
   * inside is allowed and the substitution is not in program position. Default false.
   */
  allow_substitution: z.boolean().default(false),
});

/** A validated policy, with every default filled in. */
export type Policy = z.output<typeof PolicySchema>;
/** A policy as written in a file (defaults optional). */
export type PolicyInput = z.input<typeof PolicySchema>;
