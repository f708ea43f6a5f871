/**
 * A scripted GitHub REST API on 127.0.0.1 for child processes (nock cannot see into them): each route
 * answers from a handler, every request is recorded, and `problems()` lists what a test must see empty
 * — requests no route answered, routes never called, and requests GitHub's OpenAPI description lacks.
 */
import { type IncomingMessage, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { checkAgainstOpenApi } from "./openapi.js";

export interface ApiCall {
  method: string;
  /** Path and query below the API root. */
  path: string;
  body?: unknown;
  headers: IncomingMessage["headers"];
}

export interface Route {
  method: string;
  /** Exact path (with query) below the API root, or a RegExp over it. */
  path: string | RegExp;
  reply: (call: ApiCall) => { status?: number; body?: unknown; headers?: Record<string, string> };
  /** How many calls this route answers (default 1). */
  times?: number;
}

export interface ApiServer {
  /** `http://127.0.0.1:<port>/api/v3`, for GITHUB_API_URL. */
  url: string;
  calls: ApiCall[];
  problems(): string[];
  close(): Promise<void>;
}

const PREFIX = "/api/v3";

export async function startApiServer(routes: Route[]): Promise<ApiServer> {
  const calls: ApiCall[] = [];
  const unmatched: string[] = [];
  const left = routes.map((r) => r.times ?? 1);
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const path = (req.url ?? "").startsWith(PREFIX)
        ? (req.url ?? "").slice(PREFIX.length)
        : (req.url ?? "");
      const call: ApiCall = {
        method: req.method ?? "",
        path,
        headers: req.headers,
        ...(raw ? { body: JSON.parse(raw) as unknown } : {}),
      };
      calls.push(call);
      const index = routes.findIndex(
        (r, i) =>
          (left[i] ?? 0) > 0 &&
          r.method === call.method &&
          (typeof r.path === "string" ? r.path === path : r.path.test(path)),
      );
      const route = routes[index];
      if (!route) {
        unmatched.push(`${call.method} ${path}`);
        res.statusCode = 599;
        res.end(JSON.stringify({ message: `no scripted reply for ${call.method} ${path}` }));
        return;
      }
      left[index] = (left[index] ?? 1) - 1;
      const reply = route.reply(call);
      res.statusCode = reply.status ?? 200;
      res.setHeader("content-type", "application/json");
      for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
      res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${PREFIX}`,
    calls,
    problems: () => [
      ...unmatched.map((u) => `unscripted request: ${u}`),
      ...routes.flatMap((r, i) =>
        (left[i] ?? 0) > 0 ? [`route never called: ${r.method} ${String(r.path)}`] : [],
      ),
      ...calls.flatMap((c) => checkAgainstOpenApi(c)),
    ],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
