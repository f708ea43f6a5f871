// Child process of bench/redaction.bench.ts: pushes a generated log through Redactor.stream() and
// reports throughput and this process's peak RSS, so the harness does not pollute the figure.
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Redactor } from "../src/redaction/index.js";

const totalMb = Number(process.argv[2] ?? 200);
const secretCount = Number(process.argv[3] ?? 20);
const secretLength = Number(process.argv[4] ?? 37);

// xorshift32: deterministic, so every run scans the same log.
let seed = 0x2545f491;
const rand = (n: number): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const word = (n: number): string => Array.from({ length: n }, () => ALNUM[rand(ALNUM.length)]).join("");

const secrets = Array.from({ length: secretCount }, () => word(secretLength));
const redactor = new Redactor({ secrets });

/** About 4 MB of CI-log-like text; one line in ~200 carries a secret or a token shape. */
function block(): string {
  const lines: string[] = [];
  let size = 0;
  let i = 0;
  while (size < 4 * 1024 * 1024) {
    const ts = `2026-11-21T12:${String(i % 60).padStart(2, "0")}:00.${String(i % 1000).padStart(3, "0")}Z`;
    let line = `${ts} INFO [runner] step ${i % 40}: npm test -- --reporter=dot src/module_${i % 97}.test.ts passed in ${i % 5000} ms (https://github.com/acme/app/actions/runs/${i})`;
    const r = rand(200);
    if (r === 0) line += ` token=${secrets[rand(secrets.length)]}`;
    else if (r === 1) line += ` Authorization: Bearer ${word(40)}`;
    else if (r === 2) line += ` push https://x-access-token:ghs_${word(36)}@github.com/acme/app.git`;
    else if (r === 3) line += ` creds=${Buffer.from(secrets[rand(secrets.length)]!).toString("base64")}`;
    else if (r === 4) line += ` key=AKIA${word(16).toUpperCase()}`;
    lines.push(line);
    size += line.length + 1;
    i++;
  }
  return `${lines.join("\n")}\n`;
}

const data = Buffer.from(block());
const rounds = Math.ceil((totalMb * 1024 * 1024) / data.length);
let written = 0;
const source = Readable.from(
  (function* () {
    for (let r = 0; r < rounds; r++) {
      // 64 KiB chunks, like a file or pipe read.
      for (let off = 0; off < data.length; off += 65536) yield data.subarray(off, off + 65536);
    }
  })(),
  { objectMode: false },
);
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    written += chunk.length;
    done();
  },
});
const stream = redactor.stream();
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
await pipeline(source, stream, sink);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const inputBytes = rounds * data.length;
process.stdout.write(
  JSON.stringify({
    input_mb: inputBytes / 1024 / 1024,
    output_mb: written / 1024 / 1024,
    seconds: ms / 1000,
    mb_per_s: inputBytes / 1024 / 1024 / (ms / 1000),
    cpu_seconds: cpuSeconds,
    // Throughput per CPU-second: what the redactor costs, independent of other load on the machine.
    mb_per_cpu_s: inputBytes / 1024 / 1024 / cpuSeconds,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    masks: Object.fromEntries(stream.counts),
  }) + "\n",
);
