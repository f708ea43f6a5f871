/**
 * The Probot app under load (issue #8 §5):
 * (a) signed deliveries through the real server (Probot's run(), as `npm start`) against an instant
 *     local GitHub API: deliveries per second and p99 for a comment the app ignores, against bare Probot
 *     with a no-op handler measured in the same run, rounds interleaved; p99 of a whole /complete
 *     delivery and the process's peak RSS;
 * (b) GitHub API calls per operation (sync of N new tasks, /complete) against the budgets.
 */
import { join } from "node:path";
import { loadavg } from "node:os";
import { defaultHandoffConfig } from "../src/config/schema.js";
import { renderTaskIssueBody } from "../src/flows/llm-tasks/issue.js";
import { branchSource, localSource } from "../src/flows/llm-tasks/queue-source.js";
import { syncTasks } from "../src/flows/llm-tasks/sync.js";
import { GitHubForge, createOctokit } from "../src/forge/github/index.js";
import { taskId } from "../src/llm-tasks/ids.js";
import { TaskQueue } from "../src/llm-tasks/queue.js";
import type { PendingTask } from "../src/llm-tasks/schemas.js";
import { withTempDir } from "../tests/helpers/temp.js";
import { round2, series, startAppServer } from "./app-server.js";
import { defaultWorld, startInstantApi } from "./github-api.js";
import { type Benchmark, percentile } from "./lib.js";

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
      node_id: "I_1",
      title: "t",
      body: renderTaskIssueBody(task, null, config.llm_tasks, config.permission),
      state: "open",
      user: { login: "handoff[bot]", id: 3, type: "Bot" },
      labels: [],
    },
    comment: {
      id: commentId,
      node_id: `IC_${commentId}`,
      body,
      user: { login: "alice", id: 4, type: "User" },
    },
    sender: { login: "alice", id: 4, type: "User" },
  };
}

async function deliveries() {
  const task = pending("summarize", "Summarise the release.");
  const api = await startInstantApi(
    defaultWorld({ owner: OWNER, repo: REPO, pending: new Map([[task.id, task]]) }),
  );
  const handoff = await startAppServer("handoff", api.origin);
  const bare = await startAppServer("bare", api.origin);
  try {
    const ignored = JSON.stringify(commentPayload(task, 10, "Looks good to me, thanks!"));
    await series(handoff.url, "issue_comment", () => ignored, 200);
    await series(bare.url, "issue_comment", () => ignored, 200);
    const rounds = 5;
    const perRound = 400;
    const mine = { latencies: [] as number[], rates: [] as number[] };
    const base = { latencies: [] as number[], rates: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      for (const [target, into] of [
        [handoff, mine],
        [bare, base],
      ] as const) {
        const s = await series(target.url, "issue_comment", () => ignored, perRound);
        into.latencies.push(...s.latencies);
        into.rates.push(s.perSecond);
      }
    }
    const rate = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

    let commentId = 1000;
    const complete = () => JSON.stringify(commentPayload(task, ++commentId, "/complete The notes."));
    await series(handoff.url, "issue_comment", complete, 50);
    api.reset();
    const completes = await series(handoff.url, "issue_comment", complete, 300);
    const calls = api.requests.length / 300;
    const rss = await handoff.peakRssMb();
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
        what: "a valid /complete: one read (config, comments, result, pending, branch head), permission, commit, one mutation (reaction, reply, close)",
        deliveries: 300,
        p50_ms: round2(percentile(completes.latencies, 50)),
        p99_ms: round2(percentile(completes.latencies, 99)),
        target_p99_ms: 50,
        met: percentile(completes.latencies, 99) <= 50,
        api_calls_per_delivery: calls,
        requests: api.requests.slice(0, calls),
      },
      peak_rss_mb: {
        value: rss,
        target: 150,
        met: rss <= 150,
        bare_probot_noop: await bare.peakRssMb(),
        note: "VmHWM of the app server's own process (a child: the instant API and the client are elsewhere), after every delivery above",
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
  const api = await startInstantApi(
    defaultWorld({ owner: OWNER, repo: REPO, pending: new Map(tasks.map((t) => [t.id, t])), taskIssues: m }),
  );
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
    const load = { before: loadavg()[0] };
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
      load_average_1m: { ...load, after: loadavg()[0] },
      ...a,
      api_calls: {
        sync: table,
        complete: {
          calls: a.complete_delivery.api_calls_per_delivery,
          before: 12,
          note:
            "per delivery: one GraphQL read (the config in the repository and the owner's .github, the issue's comments, " +
            "the result and pending files, the queue branch's head), permission, commit (one PUT), one GraphQL mutation (reaction, reply, close); " +
            "the installation token is cached",
        },
        sync_note:
          "budget N + ceil(M/100) + 1. One GraphQL read: results/ (names), pending/ with its files' texts (from the branch), " +
          "the first 100 open LLM-task issues and the repository's labels; one more read per further 100 issues; one create " +
          "per new task. A missing label is created with its colour once, the first time (not in this table: the labels exist).",
      },
    };
  },
};

export default bench;
