import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { cpus, loadavg } from "node:os";

/** One benchmark: a name and a function that measures and returns its figures. */
export interface Benchmark {
  name: string;
  run(): Promise<Record<string, unknown>>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Milliseconds taken by `fn`, measured with the high-resolution clock. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Writes a benchmark's figures, with the machine they were measured on, to bench/results/<name>.json. */
export async function writeResult(name: string, figures: Record<string, unknown>): Promise<string> {
  const dir = join(import.meta.dirname, "results");
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  // The load when the suite ended: on a shared machine, the figures mean little without it.
  const machine = {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus().length,
    load_average: loadavg().map((l) => Number(l.toFixed(2))),
  };
  const record = { name, measured_at: new Date().toISOString(), machine, ...figures };
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/**
 * Bundles a bench's child script (`bench/<entry>`) into one ESM file at `outfile`, so the child runs
 * under plain node, with no TypeScript loader in its memory or start-up.
 */
export async function bundleChild(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [join(import.meta.dirname, entry)],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  return outfile;
}
