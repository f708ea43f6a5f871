/**
 * GitHub's REST API, mocked at the HTTP edge with nock (Renovate's `test/http-mock.ts` rule):
 * net connect is disabled (127.0.0.1 stays reachable for the tests' own servers), and after each test
 * it fails when a request matched no mock, when a mock was left unused, or when a recorded request does
 * not exist in GitHub's OpenAPI description or its body breaks the operation's request schema.
 *
 *   const api = useGitHubApi();            // at the top of a describe/file: installs the hooks
 *   api.scope().get("/repos/o/r").reply(200, {...});
 *   ...run the code...
 *   expect(api.requests[0]?.body).toEqual(...)
 */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { type ApiRequest, checkAgainstOpenApi } from "./openapi.js";

export const API_URL = "https://api.github.com";

/** A request nock saw: method, path relative to the API root, parsed body. */
export interface RecordedRequest extends ApiRequest {
  /** The full URL as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface GitHubApiMock {
  /** A nock scope on the API root (default github.com's; a GHES `https://ghe.example/api/v3` works). */
  scope(baseUrl?: string): nock.Scope;
  /** Every request that matched a mock in the current test, in order. */
  readonly requests: RecordedRequest[];
  /** Ends the current test's checks early (also run after each test): throws on any violation. */
  verify(): void;
  /** Forgets the current test's mocks and recordings (for tests of the harness itself). */
  reset(): void;
}

function parseBody(body: string): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

export function useGitHubApi(): GitHubApiMock {
  const requests: RecordedRequest[] = [];
  const unmatched: string[] = [];
  const onNoMatch = (req: { method?: string; href?: string; path?: string; host?: string }) => {
    // Requests to the tests' own servers on 127.0.0.1 pass through on purpose (a webhook delivery to
    // the app's server); nock still reports them as unmatched.
    const target = req.href ?? `http://${req.host ?? ""}`;
    if (/^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(target)) return;
    unmatched.push(`${req.method ?? "?"} ${req.href ?? `${req.host ?? ""}${req.path ?? ""}`}`);
  };
  const verify = () => {
    const problems: string[] = [];
    for (const u of unmatched) problems.push(`unmocked request: ${u}`);
    for (const p of nock.pendingMocks()) problems.push(`mock never used: ${p}`);
    for (const r of requests) problems.push(...checkAgainstOpenApi(r));
    if (problems.length) throw new Error(`GitHub API mock check failed:\n  ${problems.join("\n  ")}`);
  };

  const reset = () => {
    requests.length = 0;
    unmatched.length = 0;
    nock.cleanAll();
  };

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
    nock.emitter.on("no match", onNoMatch);
  });
  beforeEach(reset);
  afterEach((context) => {
    try {
      // A failed test already says what went wrong; still clean up so the next starts fresh.
      if (context.task.result?.state !== "fail") verify();
    } finally {
      nock.cleanAll();
      nock.abortPendingRequests();
    }
  });
  afterAll(() => {
    nock.emitter.removeListener("no match", onNoMatch);
    nock.enableNetConnect();
  });

  return {
    requests,
    verify,
    reset,
    scope(baseUrl = API_URL) {
      const url = new URL(baseUrl);
      const prefix = url.pathname.replace(/\/+$/, "");
      const scope = nock(url.origin);
      scope.on(
        "request",
        (
          req: { method: string; path: string; headers: RecordedRequest["headers"] },
          _i: unknown,
          body: string,
        ) => {
          const path = req.path.startsWith(prefix) ? req.path.slice(prefix.length) || "/" : req.path;
          requests.push({
            method: req.method,
            path,
            url: `${url.origin}${req.path}`,
            headers: req.headers,
            body: parseBody(body),
          });
        },
      );
      return scope;
    },
  };
}
