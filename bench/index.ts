// `npm run bench [-- NAME…]`: runs every bench/*.bench.ts (or those named) and writes bench/results/NAME.json.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Benchmark, writeResult } from "./lib.js";

const wanted = process.argv.slice(2);
const files = (await readdir(import.meta.dirname)).filter((f) => f.endsWith(".bench.ts")).sort();
let ran = 0;
for (const file of files) {
  const { default: bench } = (await import(pathToFileURL(join(import.meta.dirname, file)).href)) as {
    default: Benchmark;
  };
  if (wanted.length && !wanted.includes(bench.name)) continue;
  process.stderr.write(`bench ${bench.name}…\n`);
  const figures = await bench.run();
  const out = await writeResult(bench.name, figures);
  process.stdout.write(`${bench.name}: ${JSON.stringify(figures)}\n  → ${out}\n`);
  ran++;
}
if (ran === 0) process.stderr.write(`no benchmark matched ${wanted.join(", ") || "(none found)"}\n`);
