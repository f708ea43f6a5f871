// Child process of bench/output-tail.bench.ts: runs a real writer child that prints SIZE_MB to stdout
// and takes its output through the process runner (src/process/group.ts) with the agents' tail (DEFAULT_MAX_OUTPUT);
// reports throughput and this process's peak RSS, so the harness does not pollute the figure.
// Usage: node child.mjs SIZE_MB lines|long-line|floor
import { spawn } from "node:child_process";
import { runProcessGroup } from "../src/process/group.js";
import { DEFAULT_MAX_OUTPUT } from "../src/runtimes/process.js";

const sizeMb = Number(process.argv[2] ?? 1024);
const mode = process.argv[3] ?? "lines";
const TAIL = DEFAULT_MAX_OUTPUT;

// 64 KiB blocks of 1 KiB lines (or of one endless line), written as fast as the pipe takes them.
const writer = `
const long = ${JSON.stringify(mode === "long-line")};
const block = long ? "z".repeat(65536) : ("y".repeat(1023) + "\\n").repeat(64);
const total = ${sizeMb} * 16;
let n = 0;
const go = () => { while (n < total) { n++; if (!process.stdout.write(block)) return process.stdout.once("drain", go); } };
go();`;

const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
let kept = 0;
let lines = 0;
if (mode === "floor") {
  // The same pipe read and decoded, nothing kept: the cost below which no tail can go.
  await new Promise<void>((resolve, reject) => {
    // Detached like the runner's children (its own session), so both are scheduled alike.
    const child = spawn(process.execPath, ["-e", writer], {
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    });
    child.stdout.on("data", (chunk: Buffer) => (kept = chunk.length));
    child.on("error", reject);
    child.on("close", () => resolve());
  });
} else {
  const result = await runProcessGroup([process.execPath, "-e", writer], {
    cwd: process.cwd(),
    env: process.env,
    maxOutputChars: TAIL,
    // The terminal path: every line goes to the progress display.
    ...(mode === "long-line" ? { onLine: () => void lines++ } : {}),
  });
  if (result.exitCode !== 0) throw new Error(`writer exited ${result.exitCode}: ${result.stderr}`);
  kept = result.stdout.length;
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(
  `${JSON.stringify({
    input_mb: sizeMb,
    seconds: ms / 1000,
    mb_per_s: sizeMb / (ms / 1000),
    // MB per CPU-second of this process (the writer's CPU is not counted): the tail's own cost.
    mb_per_cpu_s: sizeMb / ((cpu.user + cpu.system) / 1e6),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    kept_chars: kept,
    lines,
  })}\n`,
);
