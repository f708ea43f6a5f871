/**
 * The agent-run handlers (issue #10 §3): GitHub API calls per operation against the issue's budgets
 * (installation token excluded, the config read included), and the p99 of a label delivery through
 * the real server (bench/app-server.ts: Probot's run() in its own process, signed deliveries) against
 * the instant local API, beside an ignored label and bare Probot measured in the same run.
 */
import { loadavg } from "node:os";
import { defaultAgentRunsConfig } from "../src/config/agent-runs.js";
import { refreshDashboard } from "../src/flows/dashboard/dashboard.js";
import { GitHubForge, createOctokit } from "../src/forge/github/index.js";
import { round2, series, startAppServer } from "./app-server.js";
import { type World, defaultWorld, startInstantApi } from "./github-api.js";
import { type Benchmark, percentile } from "./lib.js";

const OWNER = "bench-org";
const REPO = "app";

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
      node_id: "I_1",
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
    issue: { number: 1, node_id: "I_1", title: "t", body: "", state: "open", labels: [], user: sender },
    comment: { id, node_id: `IC_${id}`, body, user: sender },
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

/** Calls per delivery of `make` in `world`, after a warm-up, with one delivery's requests as a sample. */
async function calls(world: World, event: string, make: () => unknown, count = 30) {
  const api = await startInstantApi(world);
  const server = await startAppServer("handoff", api.origin);
  try {
    await series(server.url, event, make, 5);
    api.reset();
    await series(server.url, event, make, count);
    return {
      calls: api.requests.length / count,
      requests: api.requests.slice(0, api.requests.length / count),
    };
  } finally {
    await server.stop();
    await api.close();
  }
}

async function deliveries() {
  const world = defaultWorld({ owner: OWNER, repo: REPO });
  const api = await startInstantApi(world);
  const handoff = await startAppServer("handoff", api.origin);
  const bare = await startAppServer("bare", api.origin);
  try {
    const measure = async (url: string, make: () => unknown, count: number) => {
      await series(url, "issues", make, 30);
      return (await series(url, "issues", make, count)).latencies;
    };
    // Interleaved rounds, so a busy moment of the machine falls on all three alike.
    const label: number[] = [];
    const ignored: number[] = [];
    const noop: number[] = [];
    for (let round = 0; round < 3; round++) {
      label.push(...(await measure(handoff.url, () => payloads.label("agent:shell"), 100)));
      ignored.push(...(await measure(handoff.url, () => payloads.label("bug"), 100)));
      noop.push(...(await measure(bare.url, () => payloads.label("agent:shell"), 100)));
    }
    const pcts = (xs: number[]) => ({
      p50_ms: round2(percentile(xs, 50)),
      p99_ms: round2(percentile(xs, 99)),
    });
    return {
      label_delivery: {
        what: "issues.labeled agent:shell by a write user, signed, through Probot's HTTP server: full start",
        deliveries: label.length,
        ...pcts(label),
        target_p99_ms: 50,
        met: percentile(label, 99) <= 50,
        baseline_ignored_label: {
          what: "issues.labeled bug (no API call), same server, same run",
          ...pcts(ignored),
        },
        baseline_bare_probot: {
          what: "the same label delivery to bare Probot with a no-op handler, same run",
          ...pcts(noop),
        },
        peak_rss_mb: await handoff.peakRssMb(),
      },
    };
  } finally {
    await handoff.stop();
    await bare.stop();
    await api.close();
  }
}

async function apiCalls() {
  const world = defaultWorld({ owner: OWNER, repo: REPO });
  let id = 100;
  const op = (what: string, m: { calls: number; requests: string[] }, budget: number, before: number) => ({
    what,
    calls: m.calls,
    budget,
    met: m.calls <= budget,
    before,
    requests: m.requests,
  });
  return {
    label_start: op(
      "a shipped agent on an issue without comments",
      await calls(world, "issues", () => payloads.label("agent:shell")),
      4,
      7,
    ),
    command_rollback: op(
      "/rollback --strategy revert on an issue",
      await calls(world, "issue_comment", () => payloads.comment(++id, "/rollback --strategy revert")),
      4,
      5,
    ),
    command_retry: op(
      "/retry on an issue whose last run succeeded",
      await calls({ ...world, status: "success" }, "issue_comment", () => payloads.comment(++id, "/retry")),
      4,
      8,
    ),
    workflow_run_completed: op(
      "the agent workflow's run completed, status found queued",
      await calls(world, "workflow_run", payloads.completed),
      3,
      5,
    ),
  };
}

async function dashboardCalls(issues: number, pulls: number) {
  const taskIssues = Math.floor(issues / 2);
  const api = await startInstantApi(
    defaultWorld({ owner: OWNER, repo: REPO, taskIssues, agentIssues: issues - taskIssues, pulls }),
  );
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
    const load = { before: loadavg()[0] };
    const figures = await deliveries();
    const api_calls = await apiCalls();
    const dashboard = [];
    for (const [i, p] of [
      [0, 0],
      [50, 10],
      [250, 40],
      [1000, 100],
    ] as const)
      dashboard.push(await dashboardCalls(i, p));
    return {
      load_average_1m: { ...load, after: loadavg()[0] },
      ...figures,
      api_calls,
      dashboard_refresh: {
        what: "open issues and open Handoff PRs listed (100 a page), newest rollback runs, one write",
        budget: "3 + ceil(items / 100)",
        table: dashboard,
      },
      notes:
        "calls include the one GraphQL read of the config (the repository's and the owner's .github) with what the " +
        "handler reads next, and one GraphQL mutation for a handler's independent last writes (status comment, labels, " +
        "reaction); the installation token is cached by Probot and not counted. before: the calls before the bulk reads and writes.",
    };
  },
};

export default bench;
