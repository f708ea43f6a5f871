// Redaction throughput: a 200 MB CI-like log with 20 registered secrets through Redactor.stream().
// Targets (issue 3 §6): ≥ 100 MB/s and peak RSS ≤ 150 MB. The stream runs in a child process (bundled
// with esbuild, started with plain node) so that its maxRSS is the redactor's alone.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type Benchmark, median, bundleChild } from "./lib.js";

const SIZE_MB = 200;
const SECRETS = 20;
const RUNS = 3;

interface ChildFigures {
  input_mb: number;
  mb_per_s: number;
  mb_per_cpu_s: number;
  peak_rss_mb: number;
  seconds: number;
  masks: Record<string, number>;
}

const bench: Benchmark = {
  name: "redaction",
  async run() {
    const dir = await mkdtemp(join(tmpdir(), "handoff-bench-"));
    try {
      const child = await bundleChild("redaction-child.ts", join(dir, "child.mjs"));
      const measure = (secretLength: number): ChildFigures => {
        const args = [child, String(SIZE_MB), String(SECRETS), String(secretLength)];
        return JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8" })) as ChildFigures;
      };
      const load = loadavg()[0]!;
      const runs: ChildFigures[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(measure(37));
      // Short secrets shrink the literal filter's stride: one run to show the sensitivity.
      const short = measure(8);
      const round = (x: number) => Math.round(x * 10) / 10;
      const throughput = median(runs.map((r) => r.mb_per_s));
      const cpuThroughput = median(runs.map((r) => r.mb_per_cpu_s));
      const rss = Math.max(...runs.map((r) => r.peak_rss_mb));
      return {
        input_mb: runs[0]!.input_mb,
        registered_secrets: SECRETS,
        secret_length: 37,
        runs: RUNS,
        throughput_mb_per_s_median: round(throughput),
        throughput_mb_per_s_all: runs.map((r) => round(r.mb_per_s)),
        // MB per CPU-second of the child: the redactor's cost, less sensitive to other load on the machine.
        throughput_mb_per_cpu_s_median: round(cpuThroughput),
        peak_rss_mb_max: round(rss),
        masks_per_run: runs[0]!.masks,
        short_secrets_8_chars: {
          throughput_mb_per_s: round(short.mb_per_s),
          throughput_mb_per_cpu_s: round(short.mb_per_cpu_s),
          peak_rss_mb: round(short.peak_rss_mb),
        },
        machine_load_average_1m: round(load),
        cpus: availableParallelism(),
        target_mb_per_s: 100,
        target_peak_rss_mb: 150,
        meets_targets: throughput >= 100 && rss <= 150,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
