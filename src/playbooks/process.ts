import { spawn } from "node:child_process";

/** How one attempt of a step ended. */
export interface ProcessOutcome {
  /** The exit code, or null when the process was killed by a signal or never started. */
  exitCode: number | null;
  /** The signal that ended the process, if any. */
  signal: NodeJS.Signals | null;
  /** Killed because the timeout passed. */
  timedOut: boolean;
  /** Killed because the abort signal fired. */
  aborted: boolean;
  /** The last bytes of stdout and stderr interleaved, not yet redacted. */
  output: string;
  /** Why the process could not start (ENOENT, EACCES…). */
  spawnError?: string;
  durationMs: number;
}

export interface ProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL of the process group. */
  killGraceMs: number;
  /** How much output to keep (the tail). */
  maxBytes: number;
}

/**
 * Runs argv as the leader of a new process group (`detached: true`) so that a timeout or an abort can
 * kill the whole group — the shell, its children and their children — with one `kill(-pid)`. When the
 * leader exits, the group is killed too: a step cannot leave background processes behind.
 */
export function runProcess(
  argv: readonly [string, ...string[]],
  options: ProcessOptions,
): Promise<ProcessOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    const keep = (chunk: Buffer): void => {
      chunks.push(chunk);
      kept += chunk.length;
      while (kept > options.maxBytes && chunks.length > 1) kept -= (chunks.shift() as Buffer).length;
    };
    const outcome: Omit<ProcessOutcome, "output" | "durationMs"> = {
      exitCode: null,
      signal: null,
      timedOut: false,
      aborted: false,
    };
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    const finish = (): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener("abort", onAbort);
      let output = Buffer.concat(chunks).toString("utf8");
      if (kept > options.maxBytes) output = output.slice(output.length - options.maxBytes);
      resolve({ ...outcome, output, durationMs: Math.round(performance.now() - started) });
    };
    const stop = (): void => {
      killGroup("SIGTERM");
      timers.push(setTimeout(() => killGroup("SIGKILL"), options.killGraceMs).unref());
    };
    const onAbort = (): void => {
      outcome.aborted = true;
      stop();
    };

    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (error: NodeJS.ErrnoException) => {
      outcome.spawnError = `${error.code ?? "error"}: ${error.message}`;
      outcome.exitCode = error.code === "ENOENT" ? 127 : error.code === "EACCES" ? 126 : null;
      finish();
    });
    child.on("exit", (code, sig) => {
      outcome.exitCode = code;
      outcome.signal = sig;
      // Reap whatever the step left running in its group, then wait for the pipes to close; a process
      // that escaped the group (setsid) may hold them open, so do not wait forever.
      killGroup("SIGKILL");
      timers.push(setTimeout(finish, options.killGraceMs).unref());
    });
    child.on("close", finish);

    timers.push(
      setTimeout(() => {
        outcome.timedOut = true;
        stop();
      }, options.timeoutMs).unref(),
    );
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
