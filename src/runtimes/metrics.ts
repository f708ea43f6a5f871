/**
 * Resource use of an agent's whole process tree (duration, peak memory, CPU time).
 *
 * How it is measured (Linux, from /proc):
 * - Peak RSS: every `intervalMs` the sampler reads `/proc/<pid>/stat` of every process, builds the tree below
 *   the agent's pid (by parent pid, plus anything still in the agent's session, so daemonised helpers count),
 *   and sums their resident set sizes; the highest sum is the peak. A process that lives shorter than one
 *   interval can be missed.
 * - CPU time: the kernel's own accounting. When a process is reaped its CPU time (and that of the children
 *   it reaped) is added to its parent's `cutime`/`cstime`; Handoff is the agent's parent, so the growth of
 *   Handoff's own `cutime + cstime` over the run is the CPU time of the agent's tree. Samples of live
 *   processes cover the rest (e.g. orphans re-parented to init); the larger of the two is reported.
 * On other systems only the duration is reported.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { ProcessMetrics } from "./types.js";

/** Linux exposes /proc times in USER_HZ, which is 100 on every mainstream architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  session: number;
  /** utime + stime + cutime + cstime, in ticks. */
  cpuTicks: number;
  rssPages: number;
}

function parseStat(text: string): ProcStat | undefined {
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const close = text.lastIndexOf(")");
  const open = text.indexOf("(");
  if (close < 0 || open < 0) return undefined;
  const fields = text.slice(close + 2).split(" ");
  const num = (i: number): number => Number(fields[i] ?? 0);
  return {
    pid: Number(text.slice(0, open).trim()),
    ppid: num(1),
    session: num(3),
    cpuTicks: num(11) + num(12) + num(13) + num(14),
    rssPages: num(21),
  };
}

function readStat(pid: number | "self"): ProcStat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

function allStats(): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const stats: ProcStat[] = [];
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

let pageSizeCache: number | undefined;
/** The page size, derived once from this process's own RSS in pages and in kB. */
function pageSize(): number {
  if (pageSizeCache !== undefined) return pageSizeCache;
  pageSizeCache = 4096;
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    const pages = readStat("self")?.rssPages;
    if (kb && pages) {
      const guess = (kb * 1024) / pages;
      // Round to the nearest power of two (4 KiB, 16 KiB, 64 KiB pages).
      pageSizeCache = 2 ** Math.round(Math.log2(guess));
    }
  } catch {
    // Not Linux: the default is never used there, because sampling finds no /proc.
  }
  return pageSizeCache;
}

/** The tree below `root`: descendants by parent pid, plus members of its session. */
export function treeOf(root: number, stats: readonly ProcStat[]): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) {
    const list = children.get(stat.ppid) ?? [];
    list.push(stat);
    children.set(stat.ppid, list);
  }
  const found = new Map<number, ProcStat>();
  const queue = stats.filter((s) => s.pid === root || s.session === root);
  while (queue.length) {
    const next = queue.pop()!;
    if (found.has(next.pid)) continue;
    found.set(next.pid, next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return [...found.values()];
}

/** Samples one process tree from start to stop. */
export class ProcessTreeSampler {
  private readonly started = process.hrtime.bigint();
  private readonly childTicksAtStart = childrenTicks();
  private readonly supported = readStat("self") !== undefined;
  private timer: NodeJS.Timeout | undefined;
  private peakPages = 0;
  private lastTreeTicks = 0;
  private samples = 0;

  constructor(
    private readonly rootPid: number,
    intervalMs = 100,
  ) {
    if (this.supported) {
      this.sample();
      this.timer = setInterval(() => this.sample(), intervalMs);
      this.timer.unref();
    }
  }

  /** Takes one sample now (also called on each interval). */
  sample(): void {
    const tree = treeOf(this.rootPid, allStats());
    if (tree.length === 0) return;
    this.samples++;
    this.peakPages = Math.max(
      this.peakPages,
      tree.reduce((sum, s) => sum + s.rssPages, 0),
    );
    this.lastTreeTicks = Math.max(
      this.lastTreeTicks,
      tree.reduce((sum, s) => sum + s.cpuTicks, 0),
    );
  }

  /** Stops sampling; call after the root process has exited (and was reaped). */
  stop(): ProcessMetrics {
    if (this.timer) clearInterval(this.timer);
    const durationMs = Number(process.hrtime.bigint() - this.started) / 1e6;
    if (!this.supported) return { durationMs, samples: 0 };
    const ticks = Math.max(childrenTicks() - this.childTicksAtStart, this.lastTreeTicks);
    return {
      durationMs,
      peakRssBytes: this.peakPages * pageSize(),
      cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND,
      samples: this.samples,
    };
  }
}

/** This process's `cutime + cstime`: CPU time of every child it has reaped so far, in ticks. */
function childrenTicks(): number {
  try {
    const text = readFileSync("/proc/self/stat", "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return Number(fields[13] ?? 0) + Number(fields[14] ?? 0);
  } catch {
    return 0;
  }
}
