/**
 * The one instant GitHub API of the app benchmarks, on 127.0.0.1: answers the REST routes the
 * handlers call and their GraphQL bulk reads (tests/helpers/github-graphql.ts resolves those, as in
 * the nock tests) at once from a fixed world, and counts every request. Stateless on purpose: every
 * /complete finds its task unanswered, every label an issue without comments, every workflow_run a
 * queued status, so each delivery does the whole work.
 */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { StatusDataSchema, renderStatus } from "../src/flows/agent-runs/status.js";
import { DASHBOARD_LABEL, DASHBOARD_MARKER } from "../src/flows/dashboard/dashboard.js";
import { LLM_TASK_LABEL, taskLabel, taskMarker } from "../src/flows/llm-tasks/issue.js";
import type { PendingTask } from "../src/llm-tasks/schemas.js";
import { type FakeIssue, type FakeRepo, answerBulkRead } from "../tests/helpers/github-graphql.js";

const TIME = "2026-01-02T03:04:05Z";
const user = (login: string, type = "User") => ({ login, id: 1, type });

export interface InstantApi {
  /** `http://127.0.0.1:PORT` (GHE_HOST=127.0.0.1:PORT, GHE_PROTOCOL=http → this + /api/v3). */
  origin: string;
  /** `METHOD /path` of every request since the last reset, without the query and the installation token. */
  readonly requests: string[];
  reset(): void;
  close(): Promise<void>;
}

export interface World {
  owner: string;
  repo: string;
  /** The queue branch and folder (the default config's). */
  queue: { branch: string; dir: string };
  pending: Map<string, PendingTask>;
  /** Open LLM-task issues of tasks not in `pending`. */
  taskIssues: number;
  /** Open issues an agent works on (`agent:shell`, `handoff:running`), and open Handoff PRs. */
  agentIssues: number;
  pulls: number;
  /** The state of the run every issue's status comment shows. */
  status: "queued" | "success";
}

export const defaultWorld = (fields: Partial<World> & Pick<World, "owner" | "repo">): World => ({
  queue: { branch: "handoff/llm-tasks", dir: "workspaces/logs/agent_tasks" },
  pending: new Map(),
  taskIssues: 0,
  agentIssues: 0,
  pulls: 0,
  status: "queued",
  ...fields,
});

/** The status comment every issue has: a run of `shell` (the app's, so a Bot's). */
const statusComment = (state: World["status"]) => ({
  id: 900,
  login: "handoff[bot]",
  type: "Bot" as const,
  body: renderStatus(
    1,
    StatusDataSchema.parse({ state, agent: "shell", reason: "label", requestedBy: "alice", updatedAt: TIME }),
  ),
});

function restIssue(number: number, body: string, labels: string[]) {
  return {
    id: number,
    number,
    title: `Issue ${number}`,
    body,
    state: "open",
    labels: labels.map((name) => ({ name })),
    user: user("handoff[bot]", "Bot"),
    html_url: `https://github.example/o/r/issues/${number}`,
    comments: 0,
    created_at: TIME,
    updated_at: TIME,
  };
}

function restComment(id: number, body: string) {
  return {
    id,
    body,
    user: user("handoff[bot]", "Bot"),
    html_url: `https://github.example/c/${id}`,
    created_at: TIME,
    updated_at: TIME,
  };
}

/** What the GraphQL bulk reads see: the world as a repository. */
function repositoryOf(world: World): FakeRepo {
  const { branch, dir } = world.queue;
  const files: Record<string, string> = {};
  const absent = ["HEAD:.github/handoff.yml", "main:agents/shell", `${branch}:${dir}/results`];
  for (const task of world.pending.values()) {
    files[`${branch}:${dir}/pending/${task.id}.json`] = `${JSON.stringify(task, null, 2)}\n`;
    absent.push(`${branch}:${dir}/results/${task.id}.json`);
  }
  const fake = (number: number, body: string, labels: string[]): FakeIssue => ({
    number,
    title: `Issue ${number}`,
    body,
    labels,
  });
  const tasks = Array.from({ length: world.taskIssues }, (_, i) =>
    fake(i + 2, `${taskMarker(`existing__${i.toString(16).padStart(16, "0")}`)}\n\nbody`, [
      LLM_TASK_LABEL.name,
    ]),
  );
  const agents = Array.from({ length: world.agentIssues }, (_, i) =>
    fake(world.taskIssues + i + 2, "", ["agent:shell", "handoff:running"]),
  );
  const dashboard = fake(1, DASHBOARD_MARKER, [DASHBOARD_LABEL.name]);
  return {
    files,
    absent,
    comments: { 1: [statusComment(world.status)] },
    openIssues: { [LLM_TASK_LABEL.name]: tasks, "*": [dashboard, ...tasks, ...agents] },
    openPulls: Array.from({ length: world.pulls }, (_, i) => ({
      number: 10_000 + i,
      title: `PR ${i}`,
      head: `handoff/issue-${i + 2}`,
    })),
    labels: [
      LLM_TASK_LABEL.name,
      DASHBOARD_LABEL.name,
      "handoff:running",
      "agent:shell",
      ...[...world.pending.values()].map((t) => taskLabel(t.task).name),
    ],
    branches: { [branch]: "c".repeat(40) },
  };
}

export async function startInstantApi(world: World): Promise<InstantApi> {
  const requests: string[] = [];
  const repoPath = `/repos/${world.owner}/${world.repo}`;
  const graph = { [`${world.owner}/${world.repo}`]: repositoryOf(world) };
  const status = statusComment(world.status);

  const route = (method: string, path: string, body: string): [number, unknown] => {
    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path))
      return [201, { token: "ghs_bench", expires_at: "2099-01-01T00:00:00Z", permissions: {} }];
    if (method === "POST" && /^(\/api)?\/graphql$/.test(path))
      return [200, answerBulkRead(JSON.parse(body) as { query: string }, graph)];
    if (!path.startsWith(repoPath)) return [404, { message: "Not Found" }];
    const rest = path.slice(repoPath.length);
    const input = () => (body ? (JSON.parse(body) as Record<string, unknown>) : {});
    if (method === "GET" && /^\/collaborators\/[^/]+\/permission$/.test(rest))
      return [200, { permission: "write", role_name: "write", user: user("alice") }];
    if (method === "GET" && /^\/issues\/\d+\/comments$/.test(rest))
      return [200, [restComment(status.id, status.body)]];
    if (method === "POST" && /^\/issues\/\d+\/comments$/.test(rest))
      return [201, restComment(901, String(input().body))];
    if (method === "PATCH" && /^\/issues\/comments\/\d+$/.test(rest))
      return [200, restComment(900, String(input().body))];
    if (method === "POST" && /^\/issues\/comments\/\d+\/reactions$/.test(rest))
      return [201, { id: 1, content: "+1", user: user("handoff[bot]", "Bot") }];
    if (method === "POST" && /^\/issues\/\d+\/labels$/.test(rest)) return [200, []];
    if (method === "DELETE" && /^\/issues\/\d+\/labels\/.+$/.test(rest)) return [200, []];
    if (method === "POST" && rest === "/labels") return [201, { id: 1, name: String(input().name) }];
    if (method === "POST" && rest === "/issues")
      return [201, restIssue(world.taskIssues + world.agentIssues + 2, String(input().body), [])];
    if (method === "PATCH" && /^\/issues\/\d+$/.test(rest))
      return [200, { ...restIssue(1, String(input().body ?? ""), []), state: input().state ?? "open" }];
    if (method === "POST" && /^\/actions\/workflows\/[^/]+\/dispatches$/.test(rest)) return [204, null];
    if (method === "GET" && /^\/actions\/workflows\/[^/]+\/runs$/.test(rest))
      return [200, { total_count: 0, workflow_runs: [] }];
    const contents = /^\/contents\/(.+)$/.exec(rest);
    if (method === "PUT" && contents)
      return [201, { content: { path: contents[1], sha: "3".repeat(40) }, commit: { sha: "d".repeat(40) } }];
    return [404, { message: `instant API: no route for ${method} ${path}` }];
  };

  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (c: string) => (body += c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname.replace(/^\/api\/v3/, "");
      if (!path.startsWith("/app/")) requests.push(`${req.method} ${path}`);
      const [status, data] = route(req.method ?? "GET", path, body);
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(data === null ? "" : JSON.stringify(data));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    reset: () => void (requests.length = 0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
