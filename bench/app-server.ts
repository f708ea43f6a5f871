/**
 * The app benchmarks' delivery loop: the real server (Probot's run(), as `npm start`) in a child
 * process of its own, bundled with esbuild so no TypeScript loader sits in it, fed signed deliveries
 * one after another over keep-alive fetch; its peak RSS read from /proc/<pid>/status (VmHWM).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { freePort, sign, testPrivateKey } from "../tests/helpers/app-server.js";

export const SECRET = "bench-secret";

let bundled: Promise<string> | undefined;
/** The child's entry as one ESM file beside node_modules (its packages resolve from there). */
function childScript(): Promise<string> {
  const outfile = join(
    import.meta.dirname,
    "..",
    "node_modules",
    ".cache",
    "handoff-bench",
    "app-server.mjs",
  );
  return (bundled ??= build({
    entryPoints: [join(import.meta.dirname, "app-server-child.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  }).then(() => outfile));
}

export interface AppServer {
  url: string;
  pid: number;
  /** The server process's peak resident set so far, in MB (VmHWM). */
  peakRssMb(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts Handoff's app (or bare Probot) against the API at `apiOrigin`, and waits until it listens. */
export async function startAppServer(kind: "handoff" | "bare", apiOrigin: string): Promise<AppServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [await childScript(), kind], {
    env: {
      PATH: process.env.PATH,
      APP_ID: "1",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "fatal",
      NODE_ENV: "production",
      GHE_HOST: apiOrigin.replace(/^http:\/\//, ""),
      GHE_PROTOCOL: "http",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the ${kind} server exited (${code}) before listening`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
  });
  child.removeAllListeners("exit");
  return {
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    pid: child.pid!,
    async peakRssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, "utf8");
      return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

let counter = 0;
/** One signed delivery; its latency in ms. A non-200 answer throws. */
export async function deliver(url: string, event: string, payload: unknown): Promise<number> {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const start = process.hrtime.bigint();
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `bench-${++counter}`,
      "x-hub-signature-256": sign(body, SECRET),
    },
    body,
  });
  await response.text();
  if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** `count` deliveries one after another: their latencies and the rate. */
export async function series(url: string, event: string, payload: () => unknown, count: number) {
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) latencies.push(await deliver(url, event, payload()));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { latencies, perSecond: count / seconds };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
