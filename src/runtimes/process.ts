/**
 * Runs one agent CLI as a real child process — through pipes, or under a pseudo-terminal for `tty: true`
 * runtimes — in its own process group, so a timeout or a stop ends the whole tree and leaves no orphans.
 */
import { constants } from "node:os";
import { armKill, OutputTail, runProcessGroup, type KilledBy, type KillOptions } from "../process/group.js";
import { guardGroup } from "../process/orphans.js";
import { ProcessTreeSampler } from "./metrics.js";
import type { IPty } from "@lydell/node-pty";
import type { LaunchPlan, ProcessMetrics } from "./types.js";

/** How to run one agent invocation; the kill options are the process runner's (`process/group.ts`). */
export interface ProcessOptions extends KillOptions {
  /** Called with each complete output line as it arrives (progress, live parsing). */
  onLine?: (line: string) => void;
  /** Keep at most this many characters of each stream (the head is dropped, never the tail). */
  maxOutputChars?: number;
  /**
   * Where the agent's process group is recorded while it runs, so the next run can stop it if Handoff
   * dies without ending it (src/process/orphans.ts). The group has a watchdog either way.
   */
  groupRecord?: string;
}

export interface ProcessResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  killed?: KilledBy;
  metrics: ProcessMetrics;
}

/**
 * How much of an agent's output is kept for its adapter to parse (the tail: the result comes last).
 * 32 MiB keeps a run's memory for a gigabyte of output under 150 MB, tail and its text included
 * (bench/output-tail.bench.ts).
 */
export const DEFAULT_MAX_OUTPUT = 32 * 1024 * 1024;

/**
 * Spawns the plan and resolves when the process has exited (never rejects for a non-zero exit). An
 * agent that cannot start at all rejects: that is a setup error, not a turn the agent took.
 */
export async function runProcess(plan: LaunchPlan, options: ProcessOptions = {}): Promise<ProcessResult> {
  return plan.tty ? runPty(plan, options) : runPiped(plan, options);
}

async function runPiped(plan: LaunchPlan, options: ProcessOptions): Promise<ProcessResult> {
  let sampler: ProcessTreeSampler | undefined;
  let unguard = async (): Promise<void> => undefined;
  const result = await runProcessGroup([plan.command, ...plan.args], {
    ...options,
    cwd: plan.cwd,
    env: plan.env,
    stdin: plan.stdin ?? "",
    maxOutputChars: options.maxOutputChars ?? DEFAULT_MAX_OUTPUT,
    onSpawn: (pid) => {
      sampler = new ProcessTreeSampler(pid);
      unguard = guardGroup(pid, options.groupRecord);
    },
  });
  await unguard();
  if (result.spawnError || !sampler) {
    throw new Error(`cannot start ${plan.command}: ${result.spawnError?.message ?? "no process"}`);
  }
  const { exitCode, signal, stdout, stderr, killed } = result;
  return { exitCode, signal, stdout, stderr, ...(killed ? { killed } : {}), metrics: sampler.stop() };
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
    const output = new OutputTail(options.maxOutputChars ?? DEFAULT_MAX_OUTPUT, options.onLine);
    let killed: KilledBy | undefined;
    const sampler = new ProcessTreeSampler(term.pid);
    const disarm = armKill(term.pid, options, (why) => (killed ??= why));
    const unguard = guardGroup(term.pid, options.groupRecord);
    term.onData((chunk) => output.push(chunk));
    term.onExit(async ({ exitCode, signal }) => {
      disarm();
      await unguard();
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
