/**
 * A real smart-HTTP git server for tests: `git http-backend` (CGI) behind a node HTTP server on
 * 127.0.0.1, serving the bare repositories under `root`. Every request must carry the token the way
 * GitHub takes it (`Authorization: basic base64(x-access-token:<token>)`); anything else is answered
 * 401 and recorded, so a test can prove git authenticated each command and never without the token.
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHttpRequest {
  method: string;
  path: string;
  /** Whether the request carried the expected token. */
  authorized: boolean;
  /** The Authorization header as received (tests assert no other credential form is used). */
  authorization?: string;
  status: number;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>`: a repository `root/o/r.git` is at `${url}/o/r.git`. */
  url: string;
  requests: GitHttpRequest[];
  /** The next `count` pushes (receive-pack POSTs) are answered with `status` before reaching git. */
  failPushes(count: number, status?: number): void;
  close(): Promise<void>;
}

export async function startGitHttpServer(root: string, token: string): Promise<GitHttpServer> {
  const requests: GitHttpRequest[] = [];
  const expected = `basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
  let pushFailures = 0;
  let pushFailureStatus = 502;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const authorization = req.headers.authorization;
    const authorized = authorization?.toLowerCase() === expected.toLowerCase();
    const record: GitHttpRequest = {
      method: req.method ?? "GET",
      path: url.pathname + url.search,
      authorized,
      ...(authorization ? { authorization } : {}),
      status: 0,
    };
    requests.push(record);
    if (!authorized) {
      record.status = 401;
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="test"' }).end("token required\n");
      return;
    }
    if (pushFailures > 0 && req.method === "POST" && url.pathname.endsWith("/git-receive-pack")) {
      pushFailures--;
      record.status = pushFailureStatus;
      req.resume();
      res.writeHead(pushFailureStatus).end("injected failure\n");
      return;
    }
    const child = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        // http-backend enables receive-pack for authenticated users only.
        REMOTE_USER: "x-access-token",
        REMOTE_ADDR: "127.0.0.1",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        REQUEST_METHOD: req.method ?? "GET",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        ...(req.headers["content-encoding"]
          ? { HTTP_CONTENT_ENCODING: req.headers["content-encoding"] }
          : {}),
        ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    req.pipe(child.stdin);
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.resume();
    child.on("close", () => {
      const output = Buffer.concat(chunks);
      const split = output.indexOf("\r\n\r\n");
      const headerText = output.subarray(0, split < 0 ? 0 : split).toString("latin1");
      const body = output.subarray(split < 0 ? 0 : split + 4);
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of headerText.split("\r\n").filter(Boolean)) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      record.status = status;
      res.writeHead(status, headers).end(body);
    });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failPushes(count, status = 502) {
      pushFailures = count;
      pushFailureStatus = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
