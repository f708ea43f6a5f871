/**
 * An instant GitHub REST API on 127.0.0.1 for the app benchmark: answers the routes the app's handlers
 * call, at once, from a fixed world (a queue branch holding `pending` tasks, `openIssues` open LLM-task
 * issues), and counts every request. Stateless on purpose: every /complete finds its task unanswered,
 * so each delivery does the whole work.
 */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { taskMarker } from "../src/flows/llm-tasks/issue.js";
import type { PendingTask } from "../src/llm-tasks/schemas.js";

const TIME = "2026-01-02T03:04:05Z";
const user = (login: string, type = "User") => ({ login, id: 1, type });

export interface InstantApi {
  /** `http://127.0.0.1:PORT` (GHE_HOST=127.0.0.1:PORT, GHE_PROTOCOL=http → this + /api/v3). */
  origin: string;
  /** Requests served since the last reset, as `METHOD /path` without the query. */
  readonly requests: string[];
  reset(): void;
  close(): Promise<void>;
}

export interface World {
  owner: string;
  repo: string;
  queueDir: string;
  pending: Map<string, PendingTask>;
  /** Open LLM-task issues that exist already (for tasks not in `pending`). */
  openIssues: number;
}

function issue(number: number, body: string) {
  return {
    id: number,
    number,
    title: `Issue ${number}`,
    body,
    state: "open",
    labels: [{ name: "handoff:llm-task" }],
    user: user("handoff[bot]", "Bot"),
    html_url: `https://github.example/o/r/issues/${number}`,
    created_at: TIME,
    updated_at: TIME,
  };
}

export async function startInstantApi(world: World): Promise<InstantApi> {
  const requests: string[] = [];
  const repoPath = `/repos/${world.owner}/${world.repo}`;
  const marker = (n: number) => taskMarker(`existing__${n.toString(16).padStart(16, "0")}`);
  let origin = "";

  const route = (method: string, path: string, query: URLSearchParams, body: string): [number, unknown] => {
    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path))
      return [201, { token: "ghs_bench", expires_at: "2099-01-01T00:00:00Z", permissions: {} }];
    if (!path.startsWith(repoPath) && !path.startsWith(`/repos/${world.owner}/.github`))
      return [404, { message: "Not Found" }];
    const rest = path.slice(repoPath.length);
    const contents = /^\/contents\/(.+)$/.exec(rest);
    if (method === "GET" && contents) {
      const file = decodeURIComponent(contents[1]!);
      if (file === `${world.queueDir}/pending`) {
        return [
          200,
          [...world.pending.keys()].map((id) => ({
            type: "file",
            name: `${id}.json`,
            path: `${file}/${id}.json`,
            sha: "1".repeat(40),
          })),
        ];
      }
      const pending = new RegExp(`^${world.queueDir}/pending/(.+)\\.json$`).exec(file);
      const task = pending && world.pending.get(pending[1]!);
      if (task) {
        const text = `${JSON.stringify(task, null, 2)}\n`;
        return [
          200,
          {
            type: "file",
            encoding: "base64",
            name: `${task.id}.json`,
            path: file,
            sha: "2".repeat(40),
            content: Buffer.from(text).toString("base64"),
          },
        ];
      }
      return [404, { message: "Not Found" }];
    }
    if (method === "GET" && rest === "/issues") {
      const page = Number(query.get("page") ?? "1");
      const start = (page - 1) * 100;
      const items = Array.from({ length: Math.max(0, Math.min(100, world.openIssues - start)) }, (_, i) =>
        issue(start + i + 1, `${marker(start + i + 1)}\n\nbody`),
      );
      return [200, items];
    }
    if (method === "POST" && rest === "/issues") {
      const input = JSON.parse(body) as { body: string };
      return [201, issue(world.openIssues + 1, input.body)];
    }
    if (method === "GET" && /^\/issues\/\d+\/comments$/.test(rest)) return [200, []];
    if (method === "POST" && /^\/issues\/\d+\/comments$/.test(rest)) {
      return [
        201,
        {
          id: 9,
          body: (JSON.parse(body) as { body: string }).body,
          user: user("handoff[bot]", "Bot"),
          html_url: "x",
          created_at: TIME,
          updated_at: TIME,
        },
      ];
    }
    if (method === "PATCH" && /^\/issues\/\d+$/.test(rest))
      return [200, { ...issue(1, ""), state: "closed" }];
    if (method === "POST" && /^\/issues\/comments\/\d+\/reactions$/.test(rest))
      return [201, { id: 1, content: "rocket" }];
    const permission = /^\/collaborators\/([^/]+)\/permission$/.exec(rest);
    if (method === "GET" && permission)
      return [200, { permission: "write", role_name: "write", user: user(permission[1]!) }];
    if (method === "GET" && rest.startsWith("/git/ref/"))
      return [200, { ref: "refs/heads/handoff/llm-tasks", object: { sha: "c".repeat(40), type: "commit" } }];
    if (method === "PUT" && contents)
      return [201, { content: { path: contents[1], sha: "3".repeat(40) }, commit: { sha: "d".repeat(40) } }];
    return [404, { message: `instant API: no route for ${method} ${path}` }];
  };

  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (c: string) => (body += c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const path = url.pathname.replace(/^\/api\/v3/, "");
      requests.push(`${req.method} ${path}`);
      const [status, data] = route(req.method ?? "GET", path, url.searchParams, body);
      const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
      // Paginated issue lists say where the next page is, as GitHub does.
      if (path.endsWith("/issues") && req.method === "GET") {
        const page = Number(url.searchParams.get("page") ?? "1");
        if (page * 100 < world.openIssues) {
          const next = new URL(url.href.replace("http://x", origin));
          next.searchParams.set("page", String(page + 1));
          headers.link = `<${next.href}>; rel="next"`;
        }
      }
      res.writeHead(status, headers).end(JSON.stringify(data));
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
