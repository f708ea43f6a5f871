/**
 * An instant GitHub REST API on 127.0.0.1 for the agent-run benchmark: answers the routes the label,
 * command, workflow_run and dashboard handlers call, at once and statelessly (every label finds an
 * issue without comments, every workflow_run finds a queued status), and counts every request.
 */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { renderStatus } from "../src/flows/agent-runs/status.js";

const TIME = "2026-01-02T03:04:05Z";
const user = (login: string, type = "User") => ({ login, id: 1, type });

export interface AgentApi {
  origin: string;
  /** `METHOD /path` of every request since the last reset, without the installation token. */
  readonly requests: string[];
  reset(): void;
  close(): Promise<void>;
}

export interface AgentWorld {
  owner: string;
  repo: string;
  /** Open issues and open Handoff PRs the dashboard lists. */
  issues: number;
  pulls: number;
}

function issue(number: number, labels: string[]) {
  return {
    id: number,
    number,
    title: `Issue ${number}`,
    body: "",
    state: "open",
    labels: labels.map((name) => ({ name })),
    user: user("octocat"),
    html_url: `https://github.example/o/r/issues/${number}`,
    comments: 0,
    created_at: TIME,
    updated_at: TIME,
  };
}

function comment(id: number, body: string) {
  return {
    id,
    body,
    user: user("handoff[bot]", "Bot"),
    html_url: `https://github.example/c/${id}`,
    created_at: TIME,
    updated_at: TIME,
  };
}

const queued = renderStatus(1, {
  state: "queued",
  agent: "shell",
  reason: "label",
  requestedBy: "alice",
  reviewId: null,
  delivery: null,
  runId: null,
  runUrl: null,
  prUrl: null,
  evidenceUrl: null,
  detail: null,
  updatedAt: TIME,
});

export async function startAgentApi(world: AgentWorld): Promise<AgentApi> {
  const requests: string[] = [];
  const repoPath = `/repos/${world.owner}/${world.repo}`;
  let origin = "";
  const page = <T>(items: T[], query: URLSearchParams, path: string): [T[], Record<string, string>] => {
    const per = Number(query.get("per_page") ?? 30);
    const n = Number(query.get("page") ?? 1);
    const slice = items.slice((n - 1) * per, n * per);
    const more = n * per < items.length;
    return [
      slice,
      more ? { link: `<${origin}/api/v3${path}?per_page=${per}&page=${n + 1}>; rel="next"` } : {},
    ];
  };

  const route = (
    method: string,
    path: string,
    query: URLSearchParams,
  ): [number, unknown, Record<string, string>?] => {
    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path))
      return [201, { token: "ghs_bench", expires_at: "2099-01-01T00:00:00Z", permissions: {} }];
    if (!path.startsWith(repoPath)) return [404, { message: "Not Found" }];
    const rest = path.slice(repoPath.length);
    if (method === "GET" && /^\/collaborators\/[^/]+\/permission$/.test(rest))
      return [200, { permission: "write", role_name: "write", user: user("alice") }];
    if (method === "GET" && rest.startsWith("/contents/")) return [404, { message: "Not Found" }];
    if (method === "GET" && /^\/issues\/\d+\/comments$/.test(rest)) return [200, [comment(900, queued)]];
    if (method === "POST" && /^\/issues\/\d+\/comments$/.test(rest)) return [201, comment(901, "x")];
    if (method === "PATCH" && /^\/issues\/comments\/\d+$/.test(rest)) return [200, comment(900, "x")];
    if (method === "POST" && /^\/issues\/comments\/\d+\/reactions$/.test(rest))
      return [201, { id: 1, content: "+1", user: user("handoff[bot]", "Bot") }];
    if (method === "POST" && /^\/issues\/\d+\/labels$/.test(rest)) return [200, []];
    if (method === "DELETE" && /^\/issues\/\d+\/labels\/.+$/.test(rest)) return [200, []];
    if (method === "POST" && /^\/actions\/workflows\/[^/]+\/dispatches$/.test(rest)) return [204, null];
    if (method === "GET" && /^\/actions\/workflows\/[^/]+\/runs$/.test(rest))
      return [200, { total_count: 0, workflow_runs: [] }];
    if (method === "GET" && rest === "/issues") {
      const all = Array.from({ length: world.issues }, (_, i) =>
        issue(i + 2, i % 2 ? ["handoff:llm-task"] : ["agent:shell", "handoff:running"]),
      );
      all.unshift({ ...issue(1, ["handoff:dashboard"]), body: "<!-- handoff:dashboard -->" });
      const [items, headers] = page(all, query, path);
      return [200, items, headers];
    }
    if (method === "GET" && rest === "/pulls") {
      const all = Array.from({ length: world.pulls }, (_, i) => ({
        ...issue(10_000 + i, []),
        head: { ref: `handoff/issue-${i + 2}`, sha: "a".repeat(40) },
        base: { ref: "main", sha: "b".repeat(40) },
        draft: false,
        merged_at: null,
      }));
      const [items, headers] = page(all, query, path);
      return [200, items, headers];
    }
    if (method === "PATCH" && /^\/issues\/\d+$/.test(rest)) return [200, issue(1, ["handoff:dashboard"])];
    return [404, { message: `no route ${method} ${path}` }];
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname.replace(/^\/api\/v3/, "");
    req.resume();
    req.on("end", () => {
      if (!path.startsWith("/app/")) requests.push(`${req.method} ${path}`);
      const [status, body, headers] = route(req.method ?? "GET", path, url.searchParams);
      res.writeHead(status, { "content-type": "application/json", ...(headers ?? {}) });
      res.end(body === null ? "" : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    reset: () => void (requests.length = 0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
