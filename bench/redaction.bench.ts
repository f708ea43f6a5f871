// Redaction throughput: a 200 MB CI-like log with 20 registered secrets through Redactor.stream().
// Targets (issue 3 §6): ≥ 100 MB/s and peak RSS ≤ 150 MB. The stream runs in a child process (bundled
// with esbuild, started with plain node) so that its maxRSS is the redactor's alone.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { type Benchmark, median } from "./lib.js";

const SIZE_MB = 200;
const SECRETS = 20;
const RUNS = 3;

interface ChildFigures {
  input_mb: number;
  mb_per_s: number;
  peak_rss_mb: number;
  seconds: number;
  masks: Record<string, number>;
}

const bench: Benchmark = {
  name: "redaction",
  async run() {
    const dir = await mkdtemp(join(tmpdir(), "handoff-bench-"));
    try {
      const child = join(dir, "child.mjs");
      await build({
        entryPoints: [join(import.meta.dirname, "redaction-child.ts")],
        outfile: child,
        bundle: true,
        format: "esm",
        platform: "node",
        target: "node20",
        logLevel: "warning",
      });
      const runs: ChildFigures[] = [];
      for (let i = 0; i < RUNS; i++) {
        const out = execFileSync(process.execPath, [child, String(SIZE_MB), String(SECRETS)], {
          encoding: "utf8",
        });
        runs.push(JSON.parse(out) as ChildFigures);
      }
      const throughput = median(runs.map((r) => r.mb_per_s));
      const rss = Math.max(...runs.map((r) => r.peak_rss_mb));
      return {
        input_mb: runs[0]!.input_mb,
        registered_secrets: SECRETS,
        runs: RUNS,
        throughput_mb_per_s_median: Math.round(throughput * 10) / 10,
        throughput_mb_per_s_all: runs.map((r) => Math.round(r.mb_per_s * 10) / 10),
        peak_rss_mb_max: Math.round(rss * 10) / 10,
        masks_per_run: runs[0]!.masks,
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
