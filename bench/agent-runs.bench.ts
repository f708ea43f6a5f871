/**
 * The agent-run handlers (issue #10 §3): GitHub API calls per operation against the issue's budgets
 * (installation token excluded; the two config reads of `context.config()` shown apart), and the p99
 * of a label delivery through the real server (Probot's run(), signed) against an instant local API,
 * beside an ignored delivery measured in the same run as the baseline.
 */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import { run } from "probot";
import { createHandoffApp } from "../src/app/index.js";
import { appOctokit } from "../src/app/octokit.js";
import { defaultAgentRunsConfig } from "../src/config/agent-runs.js";
import { refreshDashboard } from "../src/flows/dashboard/dashboard.js";
import { GitHubForge, createOctokit } from "../src/forge/github/index.js";
import { type AgentWorld, startAgentApi } from "./agent-runs-api.js";
import { type Benchmark, percentile } from "./lib.js";

const SECRET = "bench-secret";
const OWNER = "bench-org";
const REPO = "app";

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

const repository = {
  id: 1,
  name: REPO,
  full_name: `${OWNER}/${REPO}`,
  owner: { login: OWNER, id: 2, type: "Organization" },
  html_url: `https://github.example/${OWNER}/${REPO}`,
  default_branch: "main",
};
const sender = { login: "alice", id: 4, type: "User" };
const base = { installation: { id: 1 }, repository, sender };

const payloads = {
  label: (label: string) => ({
    ...base,
    action: "labeled",
    label: { name: label },
    issue: {
      number: 1,
      title: "t",
      body: "",
      state: "open",
      comments: 0,
      labels: [{ name: label }],
      user: sender,
    },
  }),
  comment: (id: number, body: string) => ({
    ...base,
    action: "created",
    issue: { number: 1, title: "t", body: "", state: "open", labels: [], user: sender },
    comment: { id, body, user: sender },
  }),
  completed: () => ({
    ...base,
    action: "completed",
    workflow_run: {
      id: 77,
      name: "handoff-agent",
      display_title: "handoff-agent #1 shell (label)",
      path: ".github/workflows/handoff-agent.yml",
      conclusion: "success",
      status: "completed",
      html_url: "https://github.example/runs/77",
    },
  }),
};

let counter = 0;
async function deliver(url: string, event: string, payload: unknown): Promise<number> {
  const body = JSON.stringify(payload);
  const start = process.hrtime.bigint();
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `agents-${++counter}`,
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body,
  });
  await response.text();
  if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const CONFIG_READS = 2;

async function deliveries() {
  const world: AgentWorld = { owner: OWNER, repo: REPO, issues: 0, pulls: 0 };
  const api = await startAgentApi(world);
  const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  const port = await freePort();
  const server = await run(createHandoffApp(), {
    env: {
      APP_ID: "1",
      PRIVATE_KEY: key,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "fatal",
      NODE_ENV: "production",
      GHE_HOST: api.origin.replace(/^http:\/\//, ""),
      GHE_PROTOCOL: "http",
    },
    Octokit: appOctokit({ retries: true, throttle: false }),
  });
  const url = `http://127.0.0.1:${port}/api/github/webhooks`;
  const measure = async (event: string, make: () => unknown, count: number) => {
    for (let i = 0; i < 30; i++) await deliver(url, event, make());
    api.reset();
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) latencies.push(await deliver(url, event, make()));
    return {
      latencies,
      calls: api.requests.length / count,
      sample: [...api.requests.slice(0, api.requests.length / count)],
    };
  };
  try {
    const ignored = await measure("issues", () => payloads.label("bug"), 300);
    const label = await measure("issues", () => payloads.label("agent:shell"), 300);
    let id = 100;
    const rollback = await measure(
      "issue_comment",
      () => payloads.comment(++id, "/rollback --strategy revert"),
      100,
    );
    const completed = await measure("workflow_run", payloads.completed, 100);
    const op = (what: string, m: typeof label, budget: number) => ({
      what,
      calls: m.calls,
      calls_without_config: m.calls - CONFIG_READS,
      budget,
      met: m.calls - CONFIG_READS <= budget,
      requests: m.sample,
    });
    return {
      label_delivery: {
        what: "issues.labeled agent:shell by a write user, signed, through Probot's HTTP server: full start",
        deliveries: 300,
        p50_ms: round2(percentile(label.latencies, 50)),
        p99_ms: round2(percentile(label.latencies, 99)),
        target_p99_ms: 50,
        met: percentile(label.latencies, 99) <= 50,
        baseline_ignored_label: {
          what: "issues.labeled bug (no API call), same server, same run",
          p50_ms: round2(percentile(ignored.latencies, 50)),
          p99_ms: round2(percentile(ignored.latencies, 99)),
        },
      },
      api_calls: {
        label_start: op("a shipped agent on an issue without comments", label, 4),
        command_rollback: op("/rollback --strategy revert on an issue", rollback, 4),
        workflow_run_completed: op("the agent workflow's run completed, status found queued", completed, 3),
      },
    };
  } finally {
    await server.stop();
    await api.close();
  }
}

async function dashboardCalls(issues: number, pulls: number) {
  const api = await startAgentApi({ owner: OWNER, repo: REPO, issues, pulls });
  try {
    const forge = new GitHubForge(createOctokit({ baseUrl: api.origin, token: "t", noRetry: true }), {
      owner: OWNER,
      repo: REPO,
    });
    await refreshDashboard(forge, defaultAgentRunsConfig({ dashboard: true }));
    const items = issues + pulls;
    const budget = 3 + Math.ceil(items / 100);
    return { issues, pulls, calls: api.requests.length, budget, met: api.requests.length <= budget };
  } finally {
    await api.close();
  }
}

const bench: Benchmark = {
  name: "agent-runs",
  async run() {
    const load = { before: (await import("node:os")).loadavg()[0] };
    const figures = await deliveries();
    const dashboard = [];
    for (const [i, p] of [
      [0, 0],
      [50, 10],
      [250, 40],
      [1000, 100],
    ] as const)
      dashboard.push(await dashboardCalls(i, p));
    return {
      load_average_1m: { ...load, after: (await import("node:os")).loadavg()[0] },
      ...figures,
      dashboard_refresh: {
        what: "open issues and open Handoff PRs listed (100 a page), newest rollback runs, one write",
        budget: "3 + ceil(items / 100)",
        table: dashboard,
      },
      notes:
        "calls_without_config leaves out the two reads of .github/handoff.yml by context.config() (the repository, then the " +
        "owner's .github); the installation token is cached by Probot and not counted.",
    };
  },
};

export default bench;
