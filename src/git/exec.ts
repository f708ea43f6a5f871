/** How the git wrapper runs one git process: its options, its result and its failure. */
import { spawn } from "node:child_process";
import { GitError } from "../errors.js";
import type { Redactor } from "../redaction/index.js";

/** What one git invocation returned. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ExecOptions {
  /** Exit codes that are answers rather than failures (e.g. 1 for `merge-base --is-ancestor`). */
  allowedExitCodes?: readonly number[];
  /** Extra environment for this invocation only. */
  env?: NodeJS.ProcessEnv;
  /** Text written to git's stdin (otherwise stdin is closed). */
  input?: string;
}

/** Options of the wrapper itself. */
export interface GitOptions {
  /** Environment added to every git call (on top of `process.env`). */
  env?: NodeJS.ProcessEnv;
  /**
   * Masks secrets in every message placed in a GitError (after the user-info part of URLs is masked).
   * Default: a Redactor with no registered secrets, which still masks known token shapes. Pass the
   * run's Redactor so the secrets it knows are masked too.
   */
  redactor?: Pick<Redactor, "redact">;
  /** The git executable; `git` from PATH by default. */
  binary?: string;
  /**
   * Configuration put on the command line of every call (`git -c key=value …`) and never written to a
   * config file: the Action authenticates each network command this way, so no token is left in
   * `.git/config` for an agent or a later step to read.
   */
  config?: Readonly<Record<string, string>>;
}

/** The failure of one git command: which verb, its exit code and its (redacted) stderr. */
export class GitCommandError extends GitError {
  constructor(
    message: string,
    readonly verb: string,
    readonly gitExitCode: number,
    readonly stderr: string,
    /** For `push`: the refs the remote refused, with git's reason (`HEAD:refs/heads/x [rejected] (stale info)`). */
    readonly rejected: readonly string[] = [],
  ) {
    super(message);
  }
}

/* Variables that would point git at another repository than `cwd` (set, e.g., when Handoff runs
   inside a git hook). They apply only when passed explicitly through GitOptions.env. */
const REPOSITORY_VARIABLES = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_PREFIX"];

function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  return env;
}

/**
 * Runs one git command in `cwd`, non-interactively: no terminal prompt, no credential-manager dialog, no
 * editor, no pager, stdin closed after `input`, messages in English. Resolves for exit 0 and the allowed
 * codes; any other exit rejects with a GitCommandError naming the verb, its stderr passed through `redact`.
 */
export function runGit(
  cwd: string,
  args: readonly string[],
  git: GitOptions,
  options: ExecOptions,
  redact: (text: string) => string,
): Promise<ExecResult> {
  const env: NodeJS.ProcessEnv = {
    ...inheritedEnv(),
    ...git.env,
    ...options.env,
    GIT_TERMINAL_PROMPT: "0",
    GCM_INTERACTIVE: "never",
    GIT_EDITOR: "true",
    GIT_SEQUENCE_EDITOR: "true",
    GIT_PAGER: "cat",
    // Messages in English, so the few that Handoff classifies (push rejections) are stable.
    LC_ALL: "C",
  };
  const allowed = options.allowedExitCodes ?? [];
  const verb = args.find((a) => !a.startsWith("-") && !a.includes("=")) ?? "git";
  const config = Object.entries(git.config ?? {}).flatMap(([key, value]) => ["-c", `${key}=${value}`]);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(git.binary ?? "git", [...config, ...args], {
      cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) =>
      reject(new GitCommandError(`git ${verb}: cannot run git: ${error.message}`, verb, -1, "")),
    );
    child.on("close", (code, signal) => {
      const result: ExecResult = {
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        exitCode: code ?? 128,
      };
      if (result.exitCode === 0 || allowed.includes(result.exitCode)) {
        resolvePromise(result);
        return;
      }
      const stderr = redact(result.stderr.trim());
      const why = stderr || (signal ? `killed by ${signal}` : `exit code ${result.exitCode}`);
      reject(new GitCommandError(`git ${verb} failed: ${why}`, verb, result.exitCode, stderr));
    });
    // A closed stdin makes any unexpected prompt fail instead of hanging.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

/**
 * One wrapper's way to run git: in its folder, with its options and its redaction. The Git class and
 * its parts (refs, objects) share one, so every verb runs git the same way.
 */
export class GitRunner {
  constructor(
    readonly cwd: string,
    private readonly git: GitOptions,
    private readonly redact: (text: string) => string,
  ) {}

  exec(args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return runGit(this.cwd, args, this.git, options, this.redact);
  }

  /** The command's stdout, trimmed. */
  async out(args: readonly string[], options?: ExecOptions): Promise<string> {
    return (await this.exec(args, options)).stdout.trim();
  }

  /** The trimmed stdout of a verb that may find nothing, or null when git exits with one of `nothing`. */
  async answer(args: readonly string[], nothing: readonly number[]): Promise<string | null> {
    const result = await this.exec(args, { allowedExitCodes: nothing });
    return result.exitCode === 0 ? result.stdout.trim() : null;
  }

  /** The command's stdout split into lines (none for empty output). */
  async lines(args: readonly string[], options?: ExecOptions): Promise<string[]> {
    const text = await this.out(args, options);
    return text ? text.split("\n") : [];
  }
}
