/**
 * The Probot app under load (issue #8 §5):
 * (a) signed deliveries through the real server (Probot's run(), as `npm start`) against an instant
 *     local GitHub API: deliveries per second and p99 for a comment the app ignores, against bare Probot
 *     with a no-op handler measured in the same run, rounds interleaved; p99 of a whole /complete
 *     delivery and the process's peak RSS;
 * (b) GitHub API calls per operation (sync of N new tasks, /complete) against the budgets.
 */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import { run } from "probot";
import { createHandoffApp } from "../src/app/index.js";
import { appOctokit } from "../src/app/octokit.js";
import { defaultHandoffConfig } from "../src/config/schema.js";
import { renderTaskIssueBody } from "../src/flows/llm-tasks/issue.js";
import { branchSource, localSource } from "../src/flows/llm-tasks/queue-source.js";
import { syncTasks } from "../src/flows/llm-tasks/sync.js";
import { GitHubForge, createOctokit } from "../src/forge/github/index.js";
import { taskId } from "../src/llm-tasks/ids.js";
import { TaskQueue } from "../src/llm-tasks/queue.js";
import type { PendingTask } from "../src/llm-tasks/schemas.js";
import { withTempDir } from "../tests/helpers/temp.js";
import { type World, startInstantApi } from "./github-api.js";
import { type Benchmark, percentile } from "./lib.js";

const SECRET = "bench-secret";
const OWNER = "bench-org";
const REPO = "pipeline";
const config = defaultHandoffConfig();

function pending(task: string, question: string): PendingTask {
  const messages = [{ role: "user" as const, content: question }];
  const id = taskId({ task, messages, responseFormat: null });
  return {
    schema_version: 1,
    id,
    created_at: "2026-01-31T09:00:00.000Z",
    task,
    response_format: null,
    messages,
    options: {},
    runbook_path: null,
    result_path: `${config.llm_tasks.dir}/results/${id}.json`,
    caller: "bench",
    invocation: { argv: ["node", "pipeline.mjs"], cwd: "/work" },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function commentPayload(task: PendingTask, commentId: number, body: string) {
  return {
    action: "created",
    installation: { id: 1 },
    repository: {
      id: 1,
      name: REPO,
      full_name: `${OWNER}/${REPO}`,
      owner: { login: OWNER, id: 2, type: "Organization" },
      html_url: `https://github.example/${OWNER}/${REPO}`,
    },
    issue: {
      number: 1,
      title: "t",
      body: renderTaskIssueBody(task, null, config.llm_tasks, config.permission),
      state: "open",
      user: { login: "handoff[bot]", id: 3, type: "Bot" },
      labels: [],
    },
    comment: { id: commentId, body, user: { login: "alice", id: 4, type: "User" } },
    sender: { login: "alice", id: 4, type: "User" },
  };
}

async function startServer(appFn: Parameters<typeof run>[0], apiOrigin: string, key: string) {
  const port = await freePort();
  const server = await run(appFn, {
    env: {
      APP_ID: "1",
      PRIVATE_KEY: key,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "fatal",
      NODE_ENV: "production",
      LOG_FORMAT: "json",
      GHE_HOST: apiOrigin.replace(/^http:\/\//, ""),
      GHE_PROTOCOL: "http",
    },
    // Retry on, throttling off: the instant API has no limits, and the throttle's write spacing is a wait.
    Octokit: appOctokit({ retries: true, throttle: false }),
  });
  return { url: `http://127.0.0.1:${port}/api/github/webhooks`, stop: () => server.stop() };
}

let deliveryCounter = 0;
async function deliver(url: string, event: string, body: string): Promise<number> {
  const start = process.hrtime.bigint();
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `bench-${++deliveryCounter}`,
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body,
  });
  await response.text();
  if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function series(url: string, body: () => string, count: number) {
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) latencies.push(await deliver(url, "issue_comment", body()));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { latencies, perSecond: count / seconds };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

async function deliveries() {
  const task = pending("summarize", "Summarise the release.");
  const world: World = {
    owner: OWNER,
    repo: REPO,
    queueDir: config.llm_tasks.dir,
    pending: new Map([[task.id, task]]),
    openIssues: 0,
  };
  const api = await startInstantApi(world);
  const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  const handoff = await startServer(createHandoffApp(), api.origin, key);
  const bare = await startServer(
    (app) => {
      app.on("issue_comment.created", async () => {});
    },
    api.origin,
    key,
  );
  try {
    const ignored = JSON.stringify(commentPayload(task, 10, "Looks good to me, thanks!"));
    await series(handoff.url, () => ignored, 200);
    await series(bare.url, () => ignored, 200);
    const rounds = 5;
    const perRound = 400;
    const mine = { latencies: [] as number[], rates: [] as number[] };
    const base = { latencies: [] as number[], rates: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      for (const [target, into] of [
        [handoff, mine],
        [bare, base],
      ] as const) {
        const s = await series(target.url, () => ignored, perRound);
        into.latencies.push(...s.latencies);
        into.rates.push(s.perSecond);
      }
    }
    const rate = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

    let commentId = 1000;
    const complete = () => JSON.stringify(commentPayload(task, ++commentId, "/complete The notes."));
    await series(handoff.url, complete, 50);
    api.reset();
    const completes = await series(handoff.url, complete, 300);
    const callsPerComplete = api.requests.length / 300;
    return {
      ignored_event: {
        what: "issue_comment.created that is not a command, signed, through Probot's HTTP server",
        deliveries: rounds * perRound,
        handoff: { per_second: Math.round(rate(mine.rates)), p99_ms: round2(percentile(mine.latencies, 99)) },
        bare_probot_noop: {
          per_second: Math.round(rate(base.rates)),
          p99_ms: round2(percentile(base.latencies, 99)),
        },
        ratio: round2(rate(mine.rates) / rate(base.rates)),
        target_ratio: 0.8,
        met: rate(mine.rates) / rate(base.rates) >= 0.8,
      },
      complete_delivery: {
        what: "a valid /complete: config, permission, reads, commit, reaction, reply, close",
        deliveries: 300,
        p50_ms: round2(percentile(completes.latencies, 50)),
        p99_ms: round2(percentile(completes.latencies, 99)),
        target_p99_ms: 50,
        met: percentile(completes.latencies, 99) <= 50,
        api_calls_per_delivery: callsPerComplete,
      },
      peak_rss_mb: {
        value: Math.round(process.resourceUsage().maxRSS / 1024),
        target: 150,
        met: process.resourceUsage().maxRSS / 1024 <= 150,
        note: "the whole bench process: both servers, the instant API and the client",
      },
      settings: "sequential deliveries, keep-alive fetch; retry on, throttling off (no limits locally)",
    };
  } finally {
    await handoff.stop();
    await bare.stop();
    await api.close();
  }
}

/** Calls one sync makes, for N new tasks with M open LLM-task issues, from each source. */
async function syncCalls(n: number, m: number) {
  const tasks = Array.from({ length: n }, (_, i) => pending(`task${i}`, `question ${i}`));
  const world: World = {
    owner: OWNER,
    repo: REPO,
    queueDir: config.llm_tasks.dir,
    pending: new Map(tasks.map((t) => [t.id, t])),
    openIssues: m,
  };
  const api = await startInstantApi(world);
  try {
    const forge = new GitHubForge(createOctokit({ baseUrl: api.origin, token: "t", noRetry: true }), {
      owner: OWNER,
      repo: REPO,
    });
    const fromBranch = await syncTasks(forge, branchSource(forge, config.llm_tasks), config);
    const branchCalls = api.requests.length;
    api.reset();
    const local = await withTempDir(async (dir) => {
      const queue = new TaskQueue(join(dir, "queue"));
      for (const t of tasks) await queue.writePendingIfAbsent(t);
      return syncTasks(forge, localSource(queue), config);
    });
    const localCalls = api.requests.length;
    if (fromBranch.created.length !== n || local.created.length !== n)
      throw new Error("sync created too few");
    const budget = n + Math.ceil(m / 100) + 1;
    return {
      new_tasks: n,
      open_issues: m,
      budget,
      cli_sync_from_local_queue: { calls: localCalls, met: localCalls <= budget },
      app_sync_from_branch: { calls: branchCalls, met: branchCalls <= budget },
    };
  } finally {
    await api.close();
  }
}

const bench: Benchmark = {
  name: "app",
  async run() {
    const load = { before: (await import("node:os")).loadavg()[0] };
    const a = await deliveries();
    const table = [];
    for (const [n, m] of [
      [1, 0],
      [10, 0],
      [10, 250],
      [50, 1000],
    ] as const)
      table.push(await syncCalls(n, m));
    return {
      load_average_1m: { ...load, after: (await import("node:os")).loadavg()[0] },
      ...a,
      api_calls: {
        sync: table,
        complete: {
          calls: a.complete_delivery.api_calls_per_delivery,
          note:
            "per delivery: 2 config reads (repository, then the owner's .github), listComments, permission, " +
            "result and pending reads, commit (ref, read, put), reaction, reply, close; the installation token is cached",
        },
        sync_note:
          "budget N + ceil(M/100) + 1. From the local queue: results listing + issue pages + creates. From the " +
          "branch (the app on push) also: the pending listing and one read per new task (contents has no batch read).",
      },
    };
  },
};

export default bench;
