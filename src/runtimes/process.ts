/**
 * Runs one agent CLI as a real child process — through pipes, or under a pseudo-terminal for `tty: true`
 * runtimes — in its own process group, so a timeout or a stop ends the whole tree and leaves no orphans.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { ProcessTreeSampler } from "./metrics.js";
import type { IPty } from "@lydell/node-pty";
import type { LaunchPlan, ProcessMetrics } from "./types.js";

export interface ProcessOptions {
  /** Hard limit for this invocation; the tree gets SIGTERM, then SIGKILL after `killGraceMs`. */
  timeoutMs?: number;
  /** Aborting (SIGTERM/SIGINT of Handoff, a budget) stops the tree the same way. */
  signal?: AbortSignal;
  killGraceMs?: number;
  /** Called with each complete output line as it arrives (progress, live parsing). */
  onLine?: (line: string) => void;
  /** Keep at most this many characters of each stream (the head is dropped, never the tail). */
  maxOutputChars?: number;
}

export interface ProcessResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  killed?: "timeout" | "stopped";
  metrics: ProcessMetrics;
}

const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

/** Sends `signal` to the whole process group led by `pid`; a group that is gone already is fine. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
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

class OutputBuffer {
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
  flush(): void {
    if (this.onLine && this.partial) this.onLine(this.partial);
    this.partial = "";
  }
}

/** Spawns the plan and resolves when the process has exited (never rejects for a non-zero exit). */
export async function runProcess(plan: LaunchPlan, options: ProcessOptions = {}): Promise<ProcessResult> {
  return plan.tty ? runPty(plan, options) : runPiped(plan, options);
}

function arm(pid: number, options: ProcessOptions, onKill: (why: "timeout" | "stopped") => void): () => void {
  const grace = options.killGraceMs ?? 5_000;
  let hardKill: NodeJS.Timeout | undefined;
  const stop = (why: "timeout" | "stopped"): void => {
    onKill(why);
    killGroup(pid, "SIGTERM");
    hardKill = setTimeout(() => killGroup(pid, "SIGKILL"), grace);
    hardKill.unref();
  };
  const timer = options.timeoutMs ? setTimeout(() => stop("timeout"), options.timeoutMs) : undefined;
  const onAbort = (): void => stop("stopped");
  if (options.signal?.aborted) queueMicrotask(onAbort);
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  return () => {
    if (timer) clearTimeout(timer);
    if (hardKill) clearTimeout(hardKill);
    options.signal?.removeEventListener("abort", onAbort);
    // Whatever the agent left running in its group (a dev server, a watcher) goes with it.
    killGroup(pid, "SIGKILL");
  };
}

function runPiped(plan: LaunchPlan, options: ProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(plan.command, plan.args, {
      cwd: plan.cwd,
      env: plan.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
      shell: false,
    });
    const max = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT;
    const stdout = new OutputBuffer(max, options.onLine);
    const stderr = new OutputBuffer(max);
    let killed: "timeout" | "stopped" | undefined;
    child.once("error", (error) => reject(new Error(`cannot start ${plan.command}: ${error.message}`)));
    if (child.pid === undefined) return;
    const pid = child.pid;
    const sampler = new ProcessTreeSampler(pid);
    const disarm = arm(pid, options, (why) => (killed ??= why));
    child.stdout.setEncoding("utf8").on("data", (c: string) => stdout.push(c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => stderr.push(c));
    child.stdin.on("error", () => undefined);
    child.stdin.end(plan.stdin ?? "");
    child.once("close", (code, signal) => {
      disarm();
      stdout.flush();
      const metrics = sampler.stop();
      resolve({ exitCode: code, signal, stdout: stdout.text, stderr: stderr.text, killed, metrics });
    });
  });
}

async function runPty(plan: LaunchPlan, options: ProcessOptions): Promise<ProcessResult> {
  // Loaded only for tty runtimes: it is a native module and most runs never need it.
  const pty = await import("@lydell/node-pty");
  return new Promise((resolve, reject) => {
    let term: IPty;
    try {
      term = pty.spawn(plan.command, plan.args, {
        name: "xterm-256color",
        cols: 200,
        rows: 50,
        cwd: plan.cwd,
        env: plan.env,
      });
    } catch (error) {
      reject(new Error(`cannot start ${plan.command} under a PTY: ${(error as Error).message}`));
      return;
    }
    const output = new OutputBuffer(options.maxOutputChars ?? DEFAULT_MAX_OUTPUT, options.onLine);
    let killed: "timeout" | "stopped" | undefined;
    const sampler = new ProcessTreeSampler(term.pid);
    const disarm = arm(term.pid, options, (why) => (killed ??= why));
    term.onData((chunk) => output.push(chunk));
    term.onExit(({ exitCode, signal }) => {
      disarm();
      output.flush();
      const metrics = sampler.stop();
      const signalName = signal ? nameOfSignal(signal) : null;
      resolve({
        exitCode: signal ? null : exitCode,
        signal: signalName,
        stdout: output.text,
        stderr: "",
        killed,
        metrics,
      });
    });
  });
}

function nameOfSignal(value: number): string {
  const entry = Object.entries(constants.signals).find(([, number]) => number === value);
  return entry ? entry[0] : String(value);
}
