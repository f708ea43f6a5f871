/**
 * Handoff's error hierarchy. Every error Handoff throws on purpose is a HandoffError: it carries the
 * process exit code the CLI uses and a message that names the input, file or JSON path at fault.
 */

/** Exit codes shared by every `handoff` command (documented in `--help` and the README). */
export const ExitCode = {
  ok: 0,
  /** The command ran and the answer is "no": denied, invalid, tests failed. */
  failure: 1,
  /**
   * Bad usage, a bad input file (config, policy, agent.json, JSON/YAML), or a file that cannot be
   * read or written (disk full, a folder in its place); the message names the file.
   */
  usage: 2,
  /** The state on disk or in git forbids it: already claimed or completed, dirty tree, lease lost. */
  conflict: 3,
  /** A named thing does not exist: task id, agent, checkpoint. */
  notFound: 4,
  /** An LLM task was written to the queue and is waiting for a result (EX_TEMPFAIL). */
  pending: 75,
  /** Stopped by SIGINT/SIGTERM. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class HandoffError extends Error {
  readonly exitCode: ExitCode = ExitCode.failure;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad command-line usage or action input. */
export class UsageError extends HandoffError {
  override readonly exitCode = ExitCode.usage;
}

/**
 * A file or value failed to parse or validate. `file` and `path` (a JSON path such as
 * `$.behavior.completionConfig.maxIterations`) say where; `problems` lists every problem when there are several.
 */
export class ConfigError extends HandoffError {
  override readonly exitCode = ExitCode.usage;
  constructor(
    message: string,
    readonly file?: string,
    readonly problems: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class ConflictError extends HandoffError {
  override readonly exitCode = ExitCode.conflict;
}

export class NotFoundError extends HandoffError {
  override readonly exitCode = ExitCode.notFound;
}

/** A command was refused by the execution policy. `rule` names the rule that decided. */
export class PolicyDenied extends HandoffError {
  constructor(
    message: string,
    readonly rule: string,
  ) {
    super(message);
  }
}

/**
 * A file or folder could not be read or written: the disk is full, a folder stands where a file
 * belongs, permission is denied. `file` names it; `code` is the errno (`ENOSPC`, `EISDIR`…).
 */
export class FileError extends HandoffError {
  override readonly exitCode = ExitCode.usage;
  constructor(
    message: string,
    readonly file: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A git command failed; the message carries the git verb and its stderr. */
export class GitError extends HandoffError {}

/** A forge (GitHub or local) call failed. */
export class ForgeError extends HandoffError {}

/** An LLM call was turned into a pending LLM task; rerun the same command once a result exists. */
export class TaskPending extends HandoffError {
  override readonly exitCode = ExitCode.pending;
  constructor(
    message: string,
    readonly taskId: string,
    readonly pendingPath: string,
  ) {
    super(message);
  }
}

/** Stopped by a signal; wrap-up already happened. */
export class Interrupted extends HandoffError {
  override readonly exitCode = ExitCode.interrupted;
}
