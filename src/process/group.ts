/**
 * The one process runner: every child that Handoff runs on someone's behalf — a playbook step, a
 * validator, an agent CLI — runs here as the leader of its own process group, so that a timeout or a stop
 * ends the whole tree with one `kill(-pid)` and nothing it started outlives it. The PTY path of the
 * runtimes (`runtimes/process.ts`) spawns through node-pty but arms its kill and keeps its output with
 * the same pieces ({@link armKill}, {@link OutputTail}).
 *
 * Two choices are made once, here:
 * - The grace between SIGTERM and SIGKILL is {@link KILL_GRACE_MS} (5 s) for every kind of child. An agent
 *   CLI needs a moment to write its session and transcript when it is stopped; a step or a validator that
 *   is being killed has already failed, so the longer grace costs only a process that ignores SIGTERM.
 * - A program that cannot start does not reject: the result carries `spawnError` and the exit code a
 *   shell would give (127 not found, 126 not executable), so a playbook step reports it like any failed
 *   command. Whoever needs a start failure to be an error (an agent that cannot start is a setup error,
 *   not an agent's failure) throws on `spawnError`.
 */
import { spawn } from "node:child_process";

/** Between SIGTERM and SIGKILL of a process group, unless the caller says otherwise. */
export const KILL_GRACE_MS = 5_000;

/** How a stopped process was stopped: its timeout passed, or the abort signal fired. */
export type KilledBy = "timeout" | "stopped";

/** Sends `signal` to the whole process group led by `pid`; a group that is gone already is fine. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** What arms the kill of a process group: its timeout, its abort signal, the grace before SIGKILL. */
export interface KillOptions {
  /** Hard limit; the group gets SIGTERM, then SIGKILL after the grace. 0 or absent: no limit. */
  timeoutMs?: number;
  /** Aborting stops the group the same way. */
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL (default {@link KILL_GRACE_MS}). */
  killGraceMs?: number;
}

/**
 * Arms the timeout and the abort signal for the group led by `pid`: either sends SIGTERM, then SIGKILL
 * after the grace, and tells `onKill` why (once per cause). The returned function disarms both and
 * SIGKILLs the group, so whatever the leader left running in it (a dev server, a watcher) goes with it.
 */
export function armKill(pid: number, options: KillOptions, onKill: (why: KilledBy) => void): () => void {
  const grace = options.killGraceMs ?? KILL_GRACE_MS;
  let hardKill: NodeJS.Timeout | undefined;
  const stop = (why: KilledBy): void => {
    onKill(why);
    killGroup(pid, "SIGTERM");
    hardKill = setTimeout(() => killGroup(pid, "SIGKILL"), grace);
    hardKill.unref();
  };
  const timer = options.timeoutMs ? setTimeout(() => stop("timeout"), options.timeoutMs) : undefined;
  timer?.unref();
  const onAbort = (): void => stop("stopped");
  if (options.signal?.aborted) queueMicrotask(onAbort);
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  return () => {
    if (timer) clearTimeout(timer);
    if (hardKill) clearTimeout(hardKill);
    options.signal?.removeEventListener("abort", onAbort);
    killGroup(pid, "SIGKILL");
  };
}

/**
 * Keeps the last `max` characters of a stream (the head is dropped, never the tail) and, when asked,
 * hands each complete line to `onLine` as it arrives.
 */
export class OutputTail {
  text = "";
  private partial = "";
  constructor(
    private readonly max: number,
    private readonly onLine?: (line: string) => void,
  ) {}
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.max) this.text = this.text.slice(this.text.length - this.max);
    if (!this.onLine) return;
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.onLine(line);
  }
  /** Hands the last, unterminated line to `onLine`. */
  flush(): void {
    if (this.onLine && this.partial) this.onLine(this.partial);
    this.partial = "";
  }
}

/** Options of {@link runProcessGroup}. */
export interface ProcessGroupOptions extends KillOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string;
  /** Keep at most this many characters of each stream (the tail). */
  maxOutputChars: number;
  /** Called with each complete stdout line as it arrives (progress, live parsing). */
  onLine?: (line: string) => void;
  /** Keep stderr in the same tail as stdout, in the order the two arrived (`stderr` is then empty). */
  interleave?: boolean;
  /** Called once the group exists, with the leader's pid (to measure the tree, say). */
  onSpawn?: (pid: number) => void;
}

/** How a process group ended. Never a rejection: see `spawnError`. */
export interface ProcessGroupResult {
  /** The exit code; null when a signal ended the leader. 127/126 when it could not start. */
  exitCode: number | null;
  /** The signal that ended the leader, if any. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Set when Handoff killed the group. */
  killed?: KilledBy;
  /** Why the program could not start (its ENOENT, EACCES… error); the group never existed. */
  spawnError?: NodeJS.ErrnoException;
  durationMs: number;
}

/**
 * Runs argv without a shell as the leader of a new process group (`detached: true`). When the leader
 * exits, the rest of its group is killed at once; the result waits for the pipes to close, but no longer
 * than the grace, because a process that escaped the group (setsid) may hold them open.
 */
export function runProcessGroup(
  argv: readonly [string, ...string[]],
  options: ProcessGroupOptions,
): Promise<ProcessGroupResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const stdout = new OutputTail(options.maxOutputChars, options.onLine);
    const stderr = options.interleave ? stdout : new OutputTail(options.maxOutputChars);
    let exitCode: number | null = null;
    let signal: NodeJS.Signals | null = null;
    let killed: KilledBy | undefined;
    let spawnError: NodeJS.ErrnoException | undefined;
    let settled = false;
    let disarm = (): void => undefined;
    let drain: NodeJS.Timeout | undefined;

    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      shell: false,
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const finish = (): void => {
      if (settled) return;
      settled = true;
      if (drain) clearTimeout(drain);
      disarm();
      stdout.flush();
      const result: ProcessGroupResult = {
        exitCode,
        signal,
        stdout: stdout.text,
        stderr: options.interleave ? "" : stderr.text,
        durationMs: Math.round(performance.now() - started),
      };
      if (killed) result.killed = killed;
      if (spawnError) result.spawnError = spawnError;
      resolve(result);
    };

    child.on("error", (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // Only a failed start is reported through "error".
      spawnError = error;
      exitCode = error.code === "ENOENT" ? 127 : error.code === "EACCES" ? 126 : null;
      finish();
    });
    if (child.pid === undefined) return;
    const pid = child.pid;
    options.onSpawn?.(pid);
    disarm = armKill(pid, options, (why) => (killed ??= why));
    // Both are pipes (see `stdio` above); decoding here keeps a character split across chunks whole.
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => stdout.push(chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
    if (child.stdin) {
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.stdin ?? "");
    }
    child.on("exit", (code, sig) => {
      exitCode = code;
      signal = sig;
      killGroup(pid, "SIGKILL");
      drain = setTimeout(finish, options.killGraceMs ?? KILL_GRACE_MS);
      drain.unref();
    });
    child.on("close", finish);
  });
}
