/** The answer of the policy for one command string. */
export interface Decision {
  /** Whether the command may run. */
  allowed: boolean;
  /**
   * The rule that decided: `allow[2]`, `deny[0]`, `deny_if_contains[1]`, `deny_patterns[0]`,
   * `default_action`, `parse-error`, `substitution`, `non-literal-program`, `write-path`,
   * `always-deny:<shape>`… (several allow rules are joined with `, `).
   */
  rule: string;
  /** A sentence for people (and agents) that says why. */
  reason: string;
  /** The command string that was decided (argv commands are shell-quoted). */
  command: string;
}

/** Where the command runs. */
export interface DecideContext {
  /** Directory the command runs in; relative paths in it resolve here. Default: `process.cwd()`. */
  cwd?: string;
  /**
   * Directory relative `write_paths` resolve against (the worktree). Default: `cwd`. The hook passes
   * the project directory here so that an agent's `cd` cannot move its own write boundary.
   */
  root?: string;
}
