// The agent-output tail (issue 13 §8): 1 GB printed by a real child, taken through the process runner
// with the agents' tail (DEFAULT_MAX_OUTPUT, 32 MiB) — as 1 KiB lines (an agent's JSON stream) and as one endless line on the
// terminal path (every line handed to the progress display). Targets: ≥ 200 MB/s and peak RSS ≤ 150 MB.
// The baseline, measured in the same run, is the same pipe read and decoded with nothing kept.
// Each measurement runs in its own child (bundled with esbuild, plain node) so its maxRSS is its own.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_MAX_OUTPUT } from "../src/runtimes/process.js";
import { type Benchmark, median, bundleChild } from "./lib.js";

const SIZE_MB = 1024;
const RUNS = 3;

interface ChildFigures {
  mb_per_s: number;
  mb_per_cpu_s: number;
  peak_rss_mb: number;
  seconds: number;
  kept_chars: number;
  lines: number;
}

const bench: Benchmark = {
  name: "output-tail",
  async run() {
    const dir = await mkdtemp(join(tmpdir(), "handoff-bench-"));
    try {
      const child = await bundleChild("output-tail-child.ts", join(dir, "child.mjs"));
      const measure = (mode: string): ChildFigures =>
        JSON.parse(
          execFileSync(process.execPath, [child, String(SIZE_MB), mode], { encoding: "utf8" }),
        ) as ChildFigures;
      const load = loadavg()[0]!;
      const round = (x: number) => Math.round(x * 10) / 10;
      const figures: Record<string, unknown> = {};
      const modes = ["floor", "lines", "long-line"] as const;
      const results = Object.fromEntries(modes.map((m) => [m, [] as ChildFigures[]])) as Record<
        (typeof modes)[number],
        ChildFigures[]
      >;
      // Interleaved, so a change in the machine's load hits every mode alike.
      for (let i = 0; i < RUNS; i++) for (const mode of modes) results[mode].push(measure(mode));
      for (const mode of modes) {
        const runs = results[mode];
        figures[mode.replace("-", "_")] = {
          throughput_mb_per_s_median: round(median(runs.map((r) => r.mb_per_s))),
          throughput_mb_per_s_all: runs.map((r) => round(r.mb_per_s)),
          throughput_mb_per_cpu_s_median: round(median(runs.map((r) => r.mb_per_cpu_s))),
          peak_rss_mb_max: round(Math.max(...runs.map((r) => r.peak_rss_mb))),
          kept_chars: runs[0]!.kept_chars,
          ...(mode === "long-line" ? { lines_handed_out: runs[0]!.lines } : {}),
        };
      }
      const worst = Math.min(
        median(results.lines.map((r) => r.mb_per_s)),
        median(results["long-line"].map((r) => r.mb_per_s)),
      );
      const rss = Math.max(...[...results.lines, ...results["long-line"]].map((r) => r.peak_rss_mb));
      return {
        input_mb: SIZE_MB,
        tail_bytes: DEFAULT_MAX_OUTPUT,
        runs: RUNS,
        ...figures,
        machine_load_average_1m: round(load),
        cpus: availableParallelism(),
        target_mb_per_s: 200,
        target_peak_rss_mb: 150,
        meets_targets: worst >= 200 && rss <= 150,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
