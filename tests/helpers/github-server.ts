/**
 * A recording GitHub REST server on 127.0.0.1 for child-process tests (nock cannot see into another
 * process): it keeps issues, comments, pull requests, reviews and permissions of one repository in
 * memory, answers the calls the forge makes with GitHub-shaped bodies (github-fixtures.ts), records
 * every request, and checks each against GitHub's OpenAPI description (openapi.ts). A test asserts
 * `problems` is empty, so a request GitHub would not accept fails the test.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ghComment, ghIssue, ghPull, ghUser } from "./github-fixtures.js";
import { type ContentsStore, contentsStore } from "./github-contents.js";
import { checkAgainstOpenApi } from "./openapi.js";

export interface RecordedCall {
  method: string;
  path: string;
  body?: unknown;
  authorization?: string;
  status: number;
}

interface Issue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  user: string;
  state: "open" | "closed";
}
interface Comment {
  id: number;
  issue: number;
  body: string;
  user: string;
}
interface Pull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
  labels: string[];
  reviewers: string[];
}
interface Review {
  id: number;
  pr: number;
  state: string;
  body: string;
  user: string;
  comments: Array<{ id: number; body: string; path: string; line: number | null; user: string }>;
}

export interface GitHubServer {
  /** `GITHUB_API_URL` for the child. */
  url: string;
  calls: RecordedCall[];
  /** Every OpenAPI disagreement of every request so far. */
  problems: string[];
  issues: Map<number, Issue>;
  comments: Comment[];
  pulls: Pull[];
  reviews: Review[];
  permissions: Map<string, string>;
  /** Labels created through the API. */
  labels: Set<string>;
  /** Files on each branch committed through the contents API. */
  contents: ContentsStore["branches"];
  addIssue(number: number, fields: { title: string; body?: string; labels?: string[]; user?: string }): void;
  addComment(issue: number, body: string, user?: string): Comment;
  addReview(pr: number, review: Omit<Review, "id" | "pr">): Review;
  /** The next `count` requests matching `method path-regexp` are answered `status` (an outage). */
  fail(method: string, path: RegExp, count: number, status?: number): void;
  /** Ends every injected outage. */
  heal(): void;
  close(): Promise<void>;
}

const TIME = "2026-01-02T03:04:05Z";

export async function startGitHubServer(options: {
  owner: string;
  repo: string;
  token: string;
}): Promise<GitHubServer> {
  const base = `/repos/${options.owner}/${options.repo}`;
  const html = `https://github.com/${options.owner}/${options.repo}`;
  const calls: RecordedCall[] = [];
  const problems: string[] = [];
  const issues = new Map<number, Issue>();
  const comments: Comment[] = [];
  const pulls: Pull[] = [];
  const reviews: Review[] = [];
  const permissions = new Map<string, string>();
  const labels = new Set<string>();
  const contents = contentsStore(base);
  const failures: Array<{ method: string; path: RegExp; count: number; status: number }> = [];
  let nextId = 100;
  let nextNumber = 1000;

  const comment = (c: Comment) => ({
    ...ghComment(c.id, c.body, c.user),
    html_url: `${html}/issues/${c.issue}#issuecomment-${c.id}`,
  });
  const pull = (p: Pull) => ({
    ...ghPull(p.number, { head: p.head, base: p.base, title: p.title, body: p.body }),
    draft: p.draft,
    html_url: `${html}/pull/${p.number}`,
  });

  function route(method: string, path: string, body: Record<string, unknown>): [number, unknown] {
    const url = new URL(path, "http://x");
    const p = url.pathname;
    const q = url.searchParams;
    let m: RegExpExecArray | null;
    if (method === "GET" && p === base) return [200, { id: 1, name: options.repo, default_branch: "main" }];
    if ((m = new RegExp(`^${base}/issues/(\\d+)$`).exec(p)) && (method === "GET" || method === "PATCH")) {
      const issue = issues.get(Number(m[1]));
      if (!issue) return [404, { message: "Not Found" }];
      if (body.state === "open" || body.state === "closed") issue.state = body.state;
      return [200, ghIssue(issue.number, issue)];
    }
    if (p === `${base}/issues` && method === "GET") {
      const wanted = (q.get("labels") ?? "").split(",").filter(Boolean);
      const state = q.get("state") ?? "open";
      const list = [...issues.values()].filter(
        (i) => (state === "all" || i.state === state) && wanted.every((l) => i.labels.includes(l)),
      );
      return [200, list.map((i) => ghIssue(i.number, i))];
    }
    if (p === `${base}/issues` && method === "POST") {
      const number = nextNumber++;
      const names = ((body.labels as string[] | undefined) ?? []).map(String);
      issues.set(number, {
        number,
        title: String(body.title),
        body: String(body.body ?? ""),
        labels: names,
        user: "github-actions[bot]",
        state: "open",
      });
      return [201, ghIssue(number, issues.get(number)!)];
    }
    if ((m = new RegExp(`^${base}/labels/([^/]+)$`).exec(p)) && method === "GET") {
      const name = decodeURIComponent(m[1]!);
      return labels.has(name) ? [200, { id: 1, name, color: "ededed" }] : [404, { message: "Not Found" }];
    }
    if (p === `${base}/labels` && method === "POST") {
      if (labels.has(String(body.name))) return [422, { message: "Validation Failed" }];
      labels.add(String(body.name));
      return [201, { id: labels.size, name: body.name, color: body.color }];
    }
    const content = contents.route(method, p, q, body);
    if (content) return content;
    if ((m = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(p))) {
      const n = Number(m[1]);
      if (method === "GET") return [200, comments.filter((c) => c.issue === n).map(comment)];
      if (method === "POST") {
        const c = { id: nextId++, issue: n, body: String(body.body), user: "github-actions[bot]" };
        comments.push(c);
        return [201, comment(c)];
      }
    }
    if ((m = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(p)) && method === "PATCH") {
      const c = comments.find((x) => x.id === Number(m![1]));
      if (!c) return [404, { message: "Not Found" }];
      c.body = String(body.body);
      return [200, comment(c)];
    }
    if ((m = new RegExp(`^${base}/issues/(\\d+)/labels$`).exec(p)) && method === "POST") {
      const pr = pulls.find((x) => x.number === Number(m![1]));
      if (pr) pr.labels.push(...(body.labels as string[]));
      return [200, (body.labels as string[]).map((name, i) => ({ id: i + 1, name, color: "ededed" }))];
    }
    if (p === `${base}/pulls` && method === "GET") {
      const head = q.get("head")?.split(":")[1];
      return [200, pulls.filter((x) => !head || x.head === head).map(pull)];
    }
    if (p === `${base}/pulls` && method === "POST") {
      if (pulls.some((x) => x.head === body.head))
        return [
          422,
          { message: "Validation Failed", errors: [{ message: "A pull request already exists" }] },
        ];
      const pr: Pull = {
        number: nextNumber++,
        head: String(body.head),
        base: String(body.base),
        title: String(body.title),
        body: String(body.body ?? ""),
        draft: body.draft === true,
        labels: [],
        reviewers: [],
      };
      pulls.push(pr);
      return [201, pull(pr)];
    }
    if ((m = new RegExp(`^${base}/pulls/(\\d+)$`).exec(p)) && method === "PATCH") {
      const pr = pulls.find((x) => x.number === Number(m![1]));
      if (!pr) return [404, { message: "Not Found" }];
      if (typeof body.body === "string") pr.body = body.body;
      if (typeof body.title === "string") pr.title = body.title;
      return [200, pull(pr)];
    }
    if ((m = new RegExp(`^${base}/pulls/(\\d+)/requested_reviewers$`).exec(p)) && method === "POST") {
      const pr = pulls.find((x) => x.number === Number(m![1]));
      pr?.reviewers.push(...(body.reviewers as string[]));
      return [201, pr ? pull(pr) : {}];
    }
    if ((m = new RegExp(`^${base}/pulls/(\\d+)/reviews$`).exec(p)) && method === "GET") {
      return [
        200,
        reviews
          .filter((r) => r.pr === Number(m![1]))
          .map((r) => ({ id: r.id, state: r.state, body: r.body, user: ghUser(r.user), submitted_at: TIME })),
      ];
    }
    if ((m = new RegExp(`^${base}/pulls/(\\d+)/reviews/(\\d+)/comments$`).exec(p)) && method === "GET") {
      const review = reviews.find((r) => r.id === Number(m![2]));
      return [
        200,
        (review?.comments ?? []).map((c) => ({
          id: c.id,
          pull_request_review_id: review!.id,
          body: c.body,
          path: c.path,
          line: c.line,
          user: ghUser(c.user),
          html_url: `${html}/pull/${review!.pr}#discussion_r${c.id}`,
        })),
      ];
    }
    if ((m = new RegExp(`^${base}/collaborators/([^/]+)/permission$`).exec(p)) && method === "GET") {
      const role = permissions.get(decodeURIComponent(m[1]!));
      if (!role) return [404, { message: "Not Found" }];
      const legacy = role === "maintain" ? "write" : role === "triage" ? "read" : role;
      return [200, { permission: legacy, role_name: role, user: ghUser(decodeURIComponent(m[1]!)) }];
    }
    return [404, { message: `no route for ${method} ${p} in the test server` }];
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const record: RecordedCall = {
      method,
      path,
      ...(text ? { body } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      status: 0,
    };
    calls.push(record);
    problems.push(...checkAgainstOpenApi({ method, path, ...(text ? { body } : {}) }));
    let status: number;
    let payload: unknown;
    const failure = failures.find((f) => f.count > 0 && f.method === method && f.path.test(path));
    if (req.headers.authorization !== `token ${options.token}`)
      [status, payload] = [401, { message: "Bad credentials" }];
    else if (failure) {
      failure.count--;
      [status, payload] = [failure.status, { message: "Server Error" }];
    } else [status, payload] = route(method, path, body);
    record.status = status;
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(payload));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    problems,
    issues,
    comments,
    pulls,
    reviews,
    permissions,
    labels,
    contents: contents.branches,
    addIssue(number, fields) {
      issues.set(number, {
        number,
        title: fields.title,
        body: fields.body ?? "",
        labels: fields.labels ?? [],
        user: fields.user ?? "octocat",
        state: "open",
      });
    },
    addComment(issue, body, user = "octocat") {
      const c = { id: nextId++, issue, body, user };
      comments.push(c);
      return c;
    },
    addReview(pr, review) {
      const r = { ...review, id: nextId++, pr };
      reviews.push(r);
      return r;
    },
    fail(method, path, count, status = 502) {
      failures.push({ method, path, count, status });
    },
    heal() {
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
