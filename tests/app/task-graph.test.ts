/**
 * The task-graph handlers through the app's real HTTP server (Probot's run(), a real
 * X-Hub-Signature-256), with real @octokit/webhooks-examples payloads adjusted only where the test
 * needs it: a `push` to the default branch touching `.handoff/tasks/` opens one issue per task and starts
 * the tasks whose dependencies are done; `issues.closed` of a task's issue starts the tasks that waited
 * on it. GitHub's REST API is nock at the HTTP edge over a small in-memory model of the repository's
 * issues, so each phase mocks exactly the calls it makes: any unmocked request, any mock left unused and
 * any request GitHub's OpenAPI description lacks fails the test.
 */
import { describe, expect, it } from "vitest";
import { statusMarker } from "../../src/flows/agent-runs/status.js";
import { examplePayload, useAppServer } from "../helpers/app-server.js";
import { APP_REPO_PATH, mockConfig, mockInstallationToken } from "../helpers/app-github.js";
import { useGitHubApi } from "../helpers/github-api.js";
import { ghComment, ghContentFile, ghIssue } from "../helpers/github-fixtures.js";
import { taskYaml } from "../helpers/task-graph.js";

const api = useGitHubApi();
const server = useAppServer();

const enc = encodeURIComponent;
const CONFIG = "skills:\n  backend: shell\n";
const TASKS = ".handoff/tasks";

interface Issue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: "open" | "closed";
}

/** The repository's issues as GitHub would hold them across deliveries. */
class Repo {
  issues: Issue[] = [];
  comments = new Map<number, { id: number; body: string }[]>();
  dispatches: unknown[] = [];
  private nextId = 900;

  constructor(readonly files: Record<string, string>) {}

  issue(n: number): Issue {
    const found = this.issues.find((i) => i.number === n);
    if (!found) throw new Error(`no issue #${n}`);
    return found;
  }

  reply(i: Issue) {
    return ghIssue(i.number, { title: i.title, body: i.body, labels: i.labels, state: i.state });
  }

  /** A new scope for one delivery: the installation token and the config. */
  delivery() {
    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, CONFIG);
    return scope;
  }

  /** What every sync reads: the task folder, each task file, and the task issues. */
  reads(scope: ReturnType<typeof api.scope>) {
    scope.get(`${APP_REPO_PATH}/contents/${enc(TASKS)}`).reply(
      200,
      Object.keys(this.files).map((name, i) => ({
        type: "file",
        name,
        path: `${TASKS}/${name}`,
        sha: String(i + 1).repeat(40),
      })),
    );
    for (const [name, text] of Object.entries(this.files))
      scope
        .get(`${APP_REPO_PATH}/contents/${enc(`${TASKS}/${name}`)}`)
        .reply(200, ghContentFile(`${TASKS}/${name}`, text, "7".repeat(40)));
    scope
      .get(`${APP_REPO_PATH}/issues`)
      .query({ labels: "handoff:task", state: "all", per_page: 100 })
      .reply(200, () => this.issues.map((i) => this.reply(i)));
  }

  /** `n` new task issues (the label made once, then found). */
  creates(scope: ReturnType<typeof api.scope>, n: number) {
    let labelExists = false;
    scope
      .get(`${APP_REPO_PATH}/labels/${enc("handoff:task")}`)
      .times(n)
      .reply(() =>
        labelExists ? [200, { name: "handoff:task", color: "5319e7" }] : [404, { message: "Not Found" }],
      );
    scope.post(`${APP_REPO_PATH}/labels`).reply(201, () => {
      labelExists = true;
      return { name: "handoff:task", color: "5319e7" };
    });
    scope
      .post(`${APP_REPO_PATH}/issues`)
      .times(n)
      .reply(201, (_uri, body) => {
        const { title, body: text, labels } = body as { title: string; body: string; labels: string[] };
        const issue: Issue = { number: this.issues.length + 1, title, body: text, labels, state: "open" };
        this.issues.push(issue);
        return this.reply(issue);
      });
  }

  /** Starting task issue `n`: the agent checked, its label, the status comment, handoff:running, the dispatch. */
  start(scope: ReturnType<typeof api.scope>, n: number, options: { readsRepo: boolean }) {
    scope.get(`${APP_REPO_PATH}/contents/${enc("agents/shell")}`).reply(404, { message: "Not Found" });
    scope
      .post(`${APP_REPO_PATH}/issues/${n}/labels`)
      .times(2)
      .reply(200, (_uri, body) => {
        this.issue(n).labels.push(...(body as { labels: string[] }).labels);
        return this.issue(n).labels.map((name) => ({ name }));
      });
    scope.get(`${APP_REPO_PATH}/issues/${n}/comments`).query({ per_page: 100 }).reply(200, []);
    scope.post(`${APP_REPO_PATH}/issues/${n}/comments`).reply(201, (_uri, body) => {
      const comment = { id: ++this.nextId, body: (body as { body: string }).body };
      this.comments.set(n, [...(this.comments.get(n) ?? []), comment]);
      return ghComment(comment.id, comment.body);
    });
    if (options.readsRepo)
      scope.get(APP_REPO_PATH).reply(200, { id: 1, name: "Hello-World", default_branch: "master" });
    scope.post(`${APP_REPO_PATH}/actions/workflows/handoff-agent.yml/dispatches`).reply(204, (_uri, body) => {
      this.dispatches.push(body);
      return "";
    });
  }
}

type Push = {
  ref: string;
  created: boolean;
  deleted: boolean;
  commits: { added: string[]; modified: string[]; removed: string[] }[];
};

function push(paths: string[]): Push {
  const payload = examplePayload<Push>("push", (e) => (e.commits as unknown[]).length > 0);
  payload.ref = "refs/heads/master"; // the payload repository's default branch
  payload.created = false;
  payload.commits[0]!.added = paths;
  payload.commits[0]!.modified = [];
  payload.commits[0]!.removed = [];
  return payload;
}

/** `issues.closed` of issue `issue`: the example set has no closed payload, so its reopened one turned round. */
function closed(issue: Issue) {
  const payload = examplePayload<{
    action: string;
    issue: { number: number; state: string; labels: { name: string }[] };
    sender: { login: string; type: string };
  }>("issues", (e) => e.action === "reopened");
  payload.action = "closed";
  payload.issue.number = issue.number;
  payload.issue.state = "closed";
  payload.issue.labels = issue.labels.map((name) => ({ name }));
  return payload;
}

// POST /graphql is the bulk read (config and what the handler reads next), not a write.
const writes = () =>
  api.requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/app/") && r.path !== "/graphql");

describe("task graphs through the app's server", () => {
  it("push opens three issues and starts two; a re-push creates nothing; the third starts only when both close", async () => {
    const repo = new Repo({
      "1.yaml": taskYaml("1.1"),
      "2.yaml": taskYaml("1.2"),
      "3.yaml": taskYaml("1.3", ["1.1", "1.2"]),
    });
    const paths = Object.keys(repo.files).map((f) => `${TASKS}/${f}`);

    // The push: three issues, dependencies first; 1.1 and 1.2 start, 1.3 waits.
    let scope = repo.delivery();
    repo.reads(scope);
    repo.creates(scope, 3);
    repo.start(scope, 1, { readsRepo: true });
    repo.start(scope, 2, { readsRepo: false });
    expect((await server.deliver("push", push(paths))).status).toBe(200);
    api.verify();
    expect(repo.issues.map((i) => [i.number, i.title, i.labels])).toEqual([
      [1, "[1.1] Task 1.1", ["handoff:task", "agent:shell", "handoff:running"]],
      [2, "[1.2] Task 1.2", ["handoff:task", "agent:shell", "handoff:running"]],
      [3, "[1.3] Task 1.3", ["handoff:task"]],
    ]);
    expect(repo.issue(3).body).toContain("<!-- handoff:task id=1.3 -->");
    expect(repo.issue(3).body).toContain("- [ ] 1.3 has a test");
    expect(repo.issue(3).body).toContain("- #1 (task `1.1`)\n- #2 (task `1.2`)");
    expect(repo.dispatches).toEqual([
      { ref: "master", inputs: { issue: "1", agent: "shell", reason: "label" } },
      { ref: "master", inputs: { issue: "2", agent: "shell", reason: "label" } },
    ]);
    expect(repo.comments.get(1)?.[0]?.body).toContain(statusMarker(1));

    // The same files pushed again: read, and nothing written.
    api.reset();
    scope = repo.delivery();
    repo.reads(scope);
    expect((await server.deliver("push", push(paths))).status).toBe(200);
    api.verify();
    expect(writes()).toEqual([]);

    // #1 closes: 1.3 still waits for #2.
    api.reset();
    repo.issue(1).state = "closed";
    scope = repo.delivery();
    repo.reads(scope);
    expect((await server.deliver("issues", closed(repo.issue(1)))).status).toBe(200);
    api.verify();
    expect(writes()).toEqual([]);

    // #2 closes: now 1.3 starts, and the same delivery again has no second effect.
    api.reset();
    repo.issue(2).state = "closed";
    scope = repo.delivery();
    repo.reads(scope);
    repo.start(scope, 3, { readsRepo: true });
    const event = closed(repo.issue(2));
    expect((await server.deliver("issues", event, { id: "closed-2" })).status).toBe(200);
    expect((await server.deliver("issues", event, { id: "closed-2" })).status).toBe(200);
    api.verify();
    expect(repo.issue(3).labels).toEqual(["handoff:task", "agent:shell", "handoff:running"]);
    expect(repo.dispatches.at(-1)).toEqual({
      ref: "master",
      inputs: { issue: "3", agent: "shell", reason: "label" },
    });
    expect(repo.dispatches).toHaveLength(3);
  });

  it("reports a cycle once on each task's issue and starts neither, and a push elsewhere reads only the config", async () => {
    const repo = new Repo({ "a.yaml": taskYaml("a", ["b"]), "b.yaml": taskYaml("b", ["a"]) });
    const paths = Object.keys(repo.files).map((f) => `${TASKS}/${f}`);
    const problem = (scope: ReturnType<typeof api.scope>, n: number, existing: boolean) => {
      scope
        .get(`${APP_REPO_PATH}/issues/${n}/comments`)
        .query({ per_page: 100 })
        .reply(200, () => (repo.comments.get(n) ?? []).map((c) => ghComment(c.id, c.body)));
      if (existing) return;
      scope.post(`${APP_REPO_PATH}/issues/${n}/comments`).reply(201, (_uri, body) => {
        const comment = { id: 800 + n, body: (body as { body: string }).body };
        repo.comments.set(n, [comment]);
        return ghComment(comment.id, comment.body);
      });
    };

    // The first push: both issues, the second's link to the first filled in by an update, both reported.
    let scope = repo.delivery();
    repo.reads(scope);
    repo.creates(scope, 2);
    scope.patch(`${APP_REPO_PATH}/issues/1`).reply(200, (_uri, body) => {
      Object.assign(repo.issue(1), body as Partial<Issue>);
      return repo.reply(repo.issue(1));
    });
    problem(scope, 1, false);
    problem(scope, 2, false);
    expect((await server.deliver("push", push(paths))).status).toBe(200);
    api.verify();
    // Dependencies first cannot order a cycle: b opened first, its link to a filled in once a exists.
    expect(repo.issues.map((i) => i.title)).toEqual(["[b] Task b", "[a] Task a"]);
    expect(repo.issue(1).body).toContain("- #2 (task `a`)");
    expect(repo.issue(2).body).toContain("- #1 (task `b`)");
    for (const [n, id] of [
      [1, "b"],
      [2, "a"],
    ] as const)
      expect(repo.comments.get(n)?.map((c) => c.body.split("\n")[1])).toEqual([
        `⚠️ Task \`${id}\` cannot start: it is on a dependency cycle: a → b → a.`,
      ]);

    // Pushed again: the reports are found, not repeated; nothing is dispatched.
    api.reset();
    scope = repo.delivery();
    repo.reads(scope);
    problem(scope, 1, true);
    problem(scope, 2, true);
    expect((await server.deliver("push", push(paths))).status).toBe(200);
    api.verify();
    expect(writes()).toEqual([]);
    expect(repo.dispatches).toEqual([]);

    // A push to the default branch that leaves the task folder alone reads the config and nothing else.
    api.reset();
    repo.delivery();
    expect((await server.deliver("push", push(["README.md"]))).status).toBe(200);
    api.verify();
    expect(
      api.requests.every((r) => r.method === "GET" || r.path.startsWith("/app/") || r.path === "/graphql"),
    ).toBe(true);
  });
});
