/**
 * The app through the real HTTP server `npm start` runs (Probot's run(), Probot's environment), with
 * real webhook payloads and a real X-Hub-Signature-256; GitHub's REST API is nock at the HTTP edge, every
 * request checked against GitHub's OpenAPI description. Retry and throttling are off here.
 */
import { describe, expect, it } from "vitest";
import { taskMarker } from "../../src/flows/llm-tasks/issue.js";
import { toJsonText } from "../../src/llm-tasks/files.js";
import { examplePayload, sign, useAppServer } from "../helpers/app-server.js";
import {
  APP_REPO_PATH,
  QUEUE_BRANCH,
  QUEUE_DIR,
  mockConfig,
  mockInstallationToken,
  mockSuccessfulComplete,
  pendingPath,
  taskIssueBody,
} from "../helpers/app-github.js";
import { useGitHubApi } from "../helpers/github-api.js";
import { ghComment, ghIssue } from "../helpers/github-fixtures.js";
import { KIND_SCHEMA, makePending } from "../helpers/llm-tasks.js";

const api = useGitHubApi();
const server = useAppServer();

const task = makePending("classify", "What kind of change?", { responseFormat: KIND_SCHEMA });

type CommentPayload = {
  issue: { body: string | null; state: string; number: number };
  comment: { id: number; body: string };
  sender: { login: string; type: string };
};

function completeComment(body: string, sender = "alice"): CommentPayload {
  const payload = examplePayload<CommentPayload>(
    "issue_comment",
    (e) => e.action === "created" && !(e.issue as { pull_request?: unknown }).pull_request,
  );
  payload.issue.body = taskIssueBody(task);
  payload.issue.state = "open";
  payload.comment.body = body;
  payload.sender.login = sender;
  payload.sender.type = "User";
  return payload;
}

describe("the app's HTTP server", () => {
  it("answers a bad or missing signature with a 4xx and makes no API call", async () => {
    const payload = completeComment('/complete {"kind":"x"}');
    const wrong = await server.deliver("issue_comment", payload, { signature: sign("other body") });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(wrong.status).toBeLessThan(500);
    const missing = await server.deliver("issue_comment", payload, { signature: null });
    expect(missing.status).toBeGreaterThanOrEqual(400);
    expect(missing.status).toBeLessThan(500);
    const otherSecret = await server.deliver("issue_comment", payload, {
      signature: sign(JSON.stringify(payload), "not-the-secret"),
    });
    expect(otherSecret.status).toBeGreaterThanOrEqual(400);
    expect(api.requests).toEqual([]);
  });

  it("completes a task from a signed /complete delivery, and the same delivery again has no effect", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, null);
    const payload = completeComment('/complete\n```json\n{"kind": "feature"}\n```');
    const committed = mockSuccessfulComplete(scope, task, { login: "alice", commentId: payload.comment.id });

    const first = await server.deliver("issue_comment", payload, { id: "delivery-complete-1" });
    expect(first.status).toBe(200);
    expect(committed()).toMatchObject({
      schema_version: 1,
      id: task.id,
      task: "classify",
      completed_by: "alice",
      content: '{"kind": "feature"}',
    });
    const made = api.requests.length;

    // Every mock is used once; a second effect would be an unmocked request and fail the test.
    const again = await server.deliver("issue_comment", payload, { id: "delivery-complete-1" });
    expect(again.status).toBe(200);
    expect(api.requests.length).toBe(made);
  });

  it("ignores a plain comment and a bot's /complete without any API call", async () => {
    const plain = await server.deliver("issue_comment", completeComment("Looks good to me"));
    expect(plain.status).toBe(200);
    const bot = completeComment("/complete {}", "handoff[bot]");
    bot.sender.type = "Bot";
    expect((await server.deliver("issue_comment", bot)).status).toBe(200);
    expect(api.requests).toEqual([]);
  });

  it("answers an invalid config on the issue with each problem's path, and does nothing else", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, "permission: everyone\nllm_tasks:\n  branch: 'a b'\n");
    // A /complete's sender is asked beside the config read, before the config turns out invalid.
    scope
      .get(`${APP_REPO_PATH}/collaborators/alice/permission`)
      .reply(200, { permission: "write", role_name: "write", user: { login: "alice", id: 1, type: "User" } });
    const payload = completeComment('/complete {"kind":"x"}');
    scope.get(`${APP_REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, []);
    let reply = "";
    scope
      .post(`${APP_REPO_PATH}/issues/1/comments`, (body: { body: string }) => {
        reply = body.body;
        return true;
      })
      .reply(201, ghComment(901, "config reply"));
    expect((await server.deliver("issue_comment", payload)).status).toBe(200);
    expect(reply).toContain(`<!-- handoff:complete comment=${payload.comment.id} -->`);
    expect(reply).toContain(".github/handoff.yml is invalid");
    expect(reply).toContain("- `$.permission: Invalid option");
    expect(reply).toContain("- `$.llm_tasks.branch: not a valid git branch name`");
    const writes = api.requests.filter(
      (r) => r.method !== "GET" && !r.path.startsWith("/app/") && r.path !== "/graphql",
    );
    expect(writes).toHaveLength(1);
  });

  it("refuses a triage user's /complete with a reply and writes nothing", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, null);
    const payload = completeComment('/complete {"kind":"x"}', "tracy");
    scope.get(`${APP_REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, []);
    scope
      .get(`${APP_REPO_PATH}/collaborators/tracy/permission`)
      .reply(200, { permission: "read", role_name: "triage", user: { login: "tracy" } });
    let reply = "";
    scope
      .post(`${APP_REPO_PATH}/issues/1/comments`, (body: { body: string }) => {
        reply = body.body;
        return true;
      })
      .reply(201, ghComment(902, "refusal"));
    expect((await server.deliver("issue_comment", payload)).status).toBe(200);
    expect(reply).toContain("your permission on this repository is `triage`");
    expect(api.requests.map((r) => r.method)).not.toContain("PUT");
    expect(api.requests.map((r) => r.method)).not.toContain("PATCH");
  });

  it("syncs a push to the queue branch into one issue per new task, in two API calls", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    // One GraphQL read: the config, pending/ with its files, results/ (absent), the open LLM-task
    // issues (none) and the repository's labels (both there, so none is created).
    mockConfig(scope, null, {
      files: { [`${QUEUE_BRANCH}:${pendingPath(task.id)}`]: toJsonText(task) },
      absent: [`${QUEUE_BRANCH}:${QUEUE_DIR}/results`],
      openIssues: { "handoff:llm-task": [] },
      labels: ["handoff:llm-task", "task:classify"],
    });
    const push = examplePayload<{
      ref: string;
      created: boolean;
      deleted: boolean;
      commits: { added: string[]; modified: string[]; removed: string[] }[];
    }>("push", (e) => (e.ref as string).startsWith("refs/heads/"));
    push.ref = `refs/heads/${QUEUE_BRANCH}`;
    push.created = false;
    push.commits[0]!.added = [pendingPath(task.id)];
    let created: { title: string; body: string; labels: string[] } | undefined;
    scope
      .post(`${APP_REPO_PATH}/issues`, (body: NonNullable<typeof created>) => {
        created = body;
        return true;
      })
      .reply(201, ghIssue(7, { body: taskIssueBody(task) }));

    expect((await server.deliver("push", push)).status).toBe(200);
    expect(created?.title).toBe(`LLM task classify: ${task.id}`);
    expect(created?.body.split("\n")[0]).toBe(taskMarker(task.id));
    expect(created?.labels).toEqual(["handoff:llm-task", "task:classify"]);
    expect(
      api.requests.filter((r) => !r.path.startsWith("/app/")).map((r) => `${r.method} ${r.path}`),
    ).toEqual(["POST /graphql", `POST ${APP_REPO_PATH}/issues`]);
  });

  it("ignores a push to another branch after reading the config", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, null);
    const push = examplePayload("push", (e) => (e.ref as string).startsWith("refs/heads/"));
    expect((await server.deliver("push", push)).status).toBe(200);
    expect(
      api.requests.every((r) => r.method === "GET" || r.path.startsWith("/app/") || r.path === "/graphql"),
    ).toBe(true);
  });
});
