// The LLM-task queue at 10,000 pending tasks: how fast tasks are written, how fast a pipeline finds an
// existing result, and how `handoff queue list --json` compares with a plain Node loop over the same files.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { completeTask } from "../src/llm-tasks/claims.js";
import { TaskQueue } from "../src/llm-tasks/queue.js";
import type { PendingTask } from "../src/llm-tasks/schemas.js";
import { complete } from "../src/llm/client.js";
import { taskId } from "../src/llm-tasks/ids.js";
import { type Benchmark, median, percentile, timeMs } from "./lib.js";

const TASKS = 10_000;
const RESULTS = 1_000;
const LOOKUPS = 2_000;
const LIST_RUNS = 5;
const CLI = join(import.meta.dirname, "..", "build", "cli.js");

function pendingTask(i: number, dir: string): PendingTask {
  const messages = [
    { role: "system" as const, content: "You summarise support tickets in one sentence." },
    {
      role: "user" as const,
      content: `Ticket ${i}: the export button does nothing when the report has more than ${i} rows.`,
    },
  ];
  const id = taskId({ task: "ticket.summarize", messages, options: { temperature: 0 } });
  return {
    schema_version: 1,
    id,
    created_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    task: "ticket.summarize",
    response_format: null,
    messages,
    options: { temperature: 0 },
    runbook_path: "runbooks/answer-llm-task.md",
    result_path: `workspaces/logs/agent_tasks/results/${id}.json`,
    caller: "bench",
    invocation: { argv: ["node", "pipeline.mjs"], cwd: dir },
  };
}

/** Wall time of a child process, stdout drained (its size is returned to check both did the same work). */
async function timeChild(args: string[]): Promise<{ ms: number; bytes: number }> {
  const start = process.hrtime.bigint();
  const bytes = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let size = 0;
    child.stdout.on("data", (c: Buffer) => (size += c.length));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(size) : reject(new Error(`${args.join(" ")}: exit ${code}`)),
    );
  });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, bytes };
}

// The baseline: what a careful script does without Handoff. Read every pending and result file, parse it,
// print the list as JSON. No validation, no status logic.
const BASELINE = `
const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");
const root = process.argv[1];
const out = [];
for (const sub of ["pending", "results"]) {
  for (const name of readdirSync(join(root, sub))) {
    if (name.endsWith(".json")) out.push(JSON.parse(readFileSync(join(root, sub, name), "utf8")));
  }
}
process.stdout.write(JSON.stringify(out, null, 2) + "\\n");
`;

const bench: Benchmark = {
  name: "queue",
  async run() {
    const loadBefore = loadavg()[0]!;
    const dir = await mkdtemp(join(tmpdir(), "handoff-bench-queue-"));
    try {
      const queue = new TaskQueue(join(dir, "workspaces/logs/agent_tasks"));
      const tasks = Array.from({ length: TASKS }, (_, i) => pendingTask(i, dir));

      const enqueueMs = await timeMs(async () => {
        for (const task of tasks) await queue.writePendingIfAbsent(task);
      });

      for (const task of tasks.slice(0, RESULTS)) {
        await completeTask(queue, task.id, { content: `Summary of ${task.id}`, agent: "bench" });
      }
      const lookups: number[] = [];
      const pickups: number[] = [];
      const env = { LLM_EXEC_SLOT: "3" };
      for (let i = 0; i < LOOKUPS; i++) {
        const task = tasks[(i * 7919) % RESULTS]!;
        lookups.push(await timeMs(() => queue.readResult(task.id)));
        // The whole client path a pipeline rerun takes: validate, hash, route, read, check the format.
        pickups.push(
          await timeMs(() =>
            complete({ task: task.task, messages: task.messages, options: task.options }, { env, cwd: dir }),
          ),
        );
      }

      const listRuns: number[] = [];
      const baselineRuns: number[] = [];
      let sizes = { list: 0, baseline: 0 };
      for (let i = 0; i < LIST_RUNS; i++) {
        const list = await timeChild([CLI, "queue", "list", "--json", "--queue-dir", queue.root]);
        const baseline = await timeChild(["-e", BASELINE, queue.root]);
        listRuns.push(list.ms);
        baselineRuns.push(baseline.ms);
        sizes = { list: list.bytes, baseline: baseline.bytes };
      }
      const listMs = median(listRuns);
      const baselineMs = median(baselineRuns);
      return {
        // The machine is shared: a high load average stretches every wall time, the ratio less so.
        load_average_1m: { before: round(loadBefore), after: round(loadavg()[0]!) },
        pending_tasks: TASKS,
        results: RESULTS,
        enqueue: {
          total_ms: Math.round(enqueueMs),
          per_second: Math.round(TASKS / (enqueueMs / 1000)),
          note: "sequential; each write validates, writes a temp file, fsyncs and links it into place",
        },
        result_lookup_ms: {
          median: round(median(lookups)),
          p95: round(percentile(lookups, 95)),
          target_median: 0.2,
          met: median(lookups) <= 0.2,
        },
        client_pickup_ms: { median: round(median(pickups)), p95: round(percentile(pickups, 95)) },
        queue_list_json: {
          handoff_ms_median: Math.round(listMs),
          baseline_ms_median: Math.round(baselineMs),
          ratio: round(listMs / baselineMs),
          target_ratio: 2,
          met: listMs / baselineMs <= 2,
          runs: { handoff: listRuns.map(Math.round), baseline: baselineRuns.map(Math.round) },
          output_bytes: sizes,
        },
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export default bench;
