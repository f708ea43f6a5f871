/**
 * The agent-run handlers through the app's real HTTP server (Probot's run(), a real
 * X-Hub-Signature-256), with real @octokit/webhooks-examples payloads adjusted only where a test
 * needs it, and GitHub's REST API as nock at the HTTP edge: every request mocked, every mock used, every
 * request checked against GitHub's OpenAPI description. Each refusal asserts its reply and, because
 * any unmocked request fails the test, that nothing else was written or dispatched.
 */
import { describe, expect, it } from "vitest";
import { renderStatus, statusMarker } from "../../src/flows/agent-runs/status.js";
import { examplePayload, useAppServer } from "../helpers/app-server.js";
import { APP_REPO_PATH, mockConfig, mockInstallationToken, mockMutation } from "../helpers/app-github.js";
import type { FakeWrite } from "../helpers/github-graphql.js";
import { useGitHubApi } from "../helpers/github-api.js";
import { ghComment, ghUser } from "../helpers/github-fixtures.js";

const api = useGitHubApi();
const server = useAppServer();

const enc = encodeURIComponent;

type Labeled = {
  issue: { number: number; comments: number; labels: { name: string }[] };
  label: { name: string };
  sender: { login: string; type: string };
};

function labeled(label: string, sender = "wanda", comments = 0): Labeled {
  const payload = examplePayload<Labeled>("issues", (e) => e.action === "labeled");
  payload.label.name = label;
  payload.issue.comments = comments;
  payload.sender.login = sender;
  payload.sender.type = "User";
  return payload;
}

function permission(scope: ReturnType<typeof api.scope>, login: string, role: string) {
  scope
    .get(`${APP_REPO_PATH}/collaborators/${login}/permission`)
    .reply(200, { permission: role === "triage" ? "read" : role, role_name: role, user: ghUser(login) });
}

const body = (b: { body: string }) => b.body;

describe("issues.labeled agent:<name>", () => {
  it("starts a shipped agent: status queued, handoff:running, one dispatch; the same delivery again does nothing", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    // One GraphQL read: the config, the agent's folder (absent: a shipped agent), the issue's comments
    // (none) and the labels; the status comment and handoff:running then go in one mutation.
    mockConfig(scope, null, {
      absent: ["master:agents/shell"],
      comments: { 1: [] },
      labels: ["handoff:running"],
    });
    permission(scope, "wanda", "write");
    const writes: FakeWrite[] = [];
    mockMutation(scope, writes);
    scope
      .post(`${APP_REPO_PATH}/actions/workflows/handoff-agent.yml/dispatches`, {
        ref: "master",
        inputs: { issue: "1", agent: "shell", reason: "label" },
      })
      .reply(204);

    const payload = labeled("agent:shell");
    expect((await server.deliver("issues", payload, { id: "label-1" })).status).toBe(200);
    expect((await server.deliver("issues", payload, { id: "label-1" })).status).toBe(200);
    expect(writes.map((w) => w.mutation)).toEqual(["addComment", "addLabelsToLabelable"]);
    const status = String(writes[0]!.input.body);
    expect(writes[0]!.input.subjectId).toBe("I_1");
    expect(status).toContain(statusMarker(1));
    expect(status).toContain("queued");
    expect(status).toContain("@wanda (label)");
    expect(writes[1]!.input).toEqual({ labelableId: "I_1", labelIds: ["L_handoff:running"] });
    // Installation token aside: the read and the sender's permission (at once, in either order), the
    // writes, the dispatch.
    const calls = api.requests
      .filter((r) => !r.path.startsWith("/app/"))
      .map((r) => `${r.method} ${r.path.split("?")[0]}`);
    expect([...calls.slice(0, 2)].sort()).toEqual([
      `GET ${APP_REPO_PATH}/collaborators/wanda/permission`,
      "POST /graphql",
    ]);
    expect(calls.slice(2)).toEqual([
      "POST /graphql",
      `POST ${APP_REPO_PATH}/actions/workflows/handoff-agent.yml/dispatches`,
    ]);
  });

  it("refuses a triage user's label: the reply and the label's removal, nothing dispatched", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, null);
    permission(scope, "tia", "triage");
    scope.get(`${APP_REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, []);
    let reply = "";
    scope
      .post(`${APP_REPO_PATH}/issues/1/comments`, (b: { body: string }) => Boolean((reply = body(b))))
      .reply(201, ghComment(501, "reply"));
    scope.delete(`${APP_REPO_PATH}/issues/1/labels/${enc("agent:shell")}`).reply(200, []);
    expect((await server.deliver("issues", labeled("agent:shell", "tia"))).status).toBe(200);
    expect(reply).toContain("@tia needs write permission on this repository to do that (has triage)");
    expect(reply).toContain("nothing was dispatched");
  });

  it("refuses an unknown agent, naming the agents there are, and removes the label", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, null);
    permission(scope, "wanda", "admin");
    scope
      .get(`${APP_REPO_PATH}/contents/${enc("agents/nope")}`)
      .query({ ref: "master" })
      .reply(404, { message: "Not Found" });
    scope
      .get(`${APP_REPO_PATH}/contents/agents`)
      .query({ ref: "master" })
      .reply(404, { message: "Not Found" });
    scope.get(`${APP_REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, []);
    let reply = "";
    scope
      .post(`${APP_REPO_PATH}/issues/1/comments`, (b: { body: string }) => Boolean((reply = body(b))))
      .reply(201, ghComment(502, "reply"));
    scope.delete(`${APP_REPO_PATH}/issues/1/labels/${enc("agent:nope")}`).reply(200, []);
    expect((await server.deliver("issues", labeled("agent:nope"))).status).toBe(200);
    expect(reply).toMatch(/unknown agent "nope".*known agents: .*claude-code.*shell/);
  });

  it("answers an invalid config on the issue and does nothing else", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, "agents:\n  label_prefix: agent\n  colour: red\n");
    // Asked beside the config read (an agent: label's sender is checked next), before the config fails.
    permission(scope, "wanda", "write");
    scope.get(`${APP_REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, []);
    let reply = "";
    scope
      .post(`${APP_REPO_PATH}/issues/1/comments`, (b: { body: string }) => Boolean((reply = body(b))))
      .reply(201, ghComment(503, "reply"));
    expect((await server.deliver("issues", labeled("agent:shell"))).status).toBe(200);
    expect(reply).toContain("Handoff did nothing: .github/handoff.yml is invalid");
    expect(reply).toContain("$.agents.label_prefix: must be a word ending");
    expect(reply).toContain('$.agents: Unrecognized key: "colour"');
  });

  it("costs no API call for a label that names no agent, or a bot's label", async () => {
    expect((await server.deliver("issues", labeled("bug"))).status).toBe(200);
    const bot = labeled("agent:shell", "handoff[bot]");
    bot.sender.type = "Bot";
    expect((await server.deliver("issues", bot)).status).toBe(200);
    expect(api.requests).toEqual([]);
  });
});

/** A status comment as the app writes it: by the bot, with its hidden data. */
function statusComment(
  issue: number,
  fields: { state: "queued" | "running" | "success"; runId?: number | null },
) {
  return ghComment(
    600,
    renderStatus(issue, {
      state: fields.state,
      agent: "shell",
      reason: "label",
      requestedBy: "wanda",
      reviewId: null,
      delivery: "label-1",
      runId: fields.runId ?? null,
      runUrl: fields.runId ? `https://github.com/Codertocat/Hello-World/actions/runs/${fields.runId}` : null,
      prUrl: null,
      evidenceUrl: null,
      detail: null,
      updatedAt: "2026-01-01T00:00:00Z",
    }),
    "handoff[bot]",
  );
}

type Review = {
  review: { id: number; state: string };
  pull_request: { number: number; head: { ref: string } };
  sender: { login: string; type: string };
};

function review(state: string, sender = "wanda"): Review {
  const payload = examplePayload<Review>("pull_request_review", (e) => e.action === "submitted");
  payload.review.state = state;
  payload.pull_request.head.ref = "handoff/issue-1-fix";
  payload.sender.login = sender;
  payload.sender.type = "User";
  return payload;
}

describe("pull_request_review.submitted", () => {
  it("re-runs the issue's agent with reason review and the review's id on changes requested", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, null);
    permission(scope, "wanda", "maintain");
    scope
      .get(`${APP_REPO_PATH}/issues/1/comments`)
      .query({ per_page: 100 })
      .reply(200, [statusComment(1, { state: "success", runId: 41 })]);
    let status = "";
    scope
      .patch(`${APP_REPO_PATH}/issues/comments/600`, (b: { body: string }) => Boolean((status = body(b))))
      .reply(200, ghComment(600, "status"));
    scope.post(`${APP_REPO_PATH}/issues/1/labels`, { labels: ["handoff:running"] }).reply(200, []);
    const payload = review("changes_requested");
    scope
      .post(`${APP_REPO_PATH}/actions/workflows/handoff-agent.yml/dispatches`, {
        ref: "master",
        inputs: { issue: "1", agent: "shell", reason: "review", "review-id": String(payload.review.id) },
      })
      .reply(204);
    expect((await server.deliver("pull_request_review", payload)).status).toBe(200);
    expect(status).toContain(`@wanda (review ${payload.review.id})`);
    expect(status).toContain("queued");
  });

  it("does nothing for an approval, and refuses a review by a user without the permission on the PR", async () => {
    expect((await server.deliver("pull_request_review", review("approved"))).status).toBe(200);
    expect(api.requests).toEqual([]);

    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, null);
    permission(scope, "reed", "read");
    const payload = review("changes_requested", "reed");
    const pr = payload.pull_request.number;
    scope.get(`${APP_REPO_PATH}/issues/${pr}/comments`).query({ per_page: 100 }).reply(200, []);
    let reply = "";
    scope
      .post(`${APP_REPO_PATH}/issues/${pr}/comments`, (b: { body: string }) => Boolean((reply = body(b))))
      .reply(201, ghComment(504, "reply"));
    expect((await server.deliver("pull_request_review", payload)).status).toBe(200);
    expect(reply).toContain("@reed needs write permission");
    expect(reply).toContain("Nothing was dispatched.");
  });
});

type CommentPayload = {
  issue: { number: number; pull_request?: unknown };
  comment: { id: number; body: string };
  sender: { login: string; type: string };
};

function command(text: string, sender = "wanda", type = "User"): CommentPayload {
  const payload = examplePayload<CommentPayload>(
    "issue_comment",
    (e) => e.action === "created" && !(e.issue as { pull_request?: unknown }).pull_request,
  );
  payload.comment.body = text;
  payload.sender.login = sender;
  payload.sender.type = type;
  return payload;
}

describe("slash commands", () => {
  it("/rollback dispatches the rollback workflow with the checkpoint and strategy, and reacts", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, null);
    permission(scope, "wanda", "write");
    const payload = command("/rollback handoff/checkpoint/1/3 --strategy revert");
    scope
      .post(`${APP_REPO_PATH}/actions/workflows/handoff-rollback.yml/dispatches`, {
        ref: "master",
        inputs: { issue: "1", checkpoint: "handoff/checkpoint/1/3", strategy: "revert" },
      })
      .reply(204);
    scope
      .post(`${APP_REPO_PATH}/issues/comments/${payload.comment.id}/reactions`, { content: "+1" })
      .reply(201, { id: 1, content: "+1", user: ghUser("handoff[bot]", "Bot") });
    expect((await server.deliver("issue_comment", payload, { id: "rollback-1" })).status).toBe(200);
    expect((await server.deliver("issue_comment", payload, { id: "rollback-1" })).status).toBe(200);
  });

  it("refuses a read user's /rollback with its reason and dispatches nothing; ignores a bot's", async () => {
    const bot = command("/rollback", "handoff[bot]", "Bot");
    expect((await server.deliver("issue_comment", bot)).status).toBe(200);
    expect(api.requests).toEqual([]);

    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, null);
    permission(scope, "reed", "read");
    const payload = command("/rollback", "reed");
    scope.get(`${APP_REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, []);
    let reply = "";
    scope
      .post(`${APP_REPO_PATH}/issues/1/comments`, (b: { body: string }) => Boolean((reply = body(b))))
      .reply(201, ghComment(505, "reply"));
    expect((await server.deliver("issue_comment", payload)).status).toBe(200);
    expect(reply).toContain(`<!-- handoff:reply comment=${payload.comment.id} -->`);
    expect(reply).toContain("@reed `/rollback` refused: @reed needs write permission on this repository");
  });

  it("/stop cancels the run the status names; an unknown /word gets the help", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, null);
    permission(scope, "wanda", "write");
    scope
      .get(`${APP_REPO_PATH}/issues/1/comments`)
      .query({ per_page: 100 })
      .reply(200, [statusComment(1, { state: "running", runId: 77 })]);
    scope.post(`${APP_REPO_PATH}/actions/runs/77/cancel`).reply(202, {});
    const payload = command("/stop");
    scope
      .post(`${APP_REPO_PATH}/issues/comments/${payload.comment.id}/reactions`, { content: "+1" })
      .reply(201, { id: 2, content: "+1", user: ghUser("handoff[bot]", "Bot") });
    expect((await server.deliver("issue_comment", payload)).status).toBe(200);

    const help = api.scope();
    mockConfig(help, null);
    help.get(`${APP_REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, []);
    let reply = "";
    help
      .post(`${APP_REPO_PATH}/issues/1/comments`, (b: { body: string }) => Boolean((reply = body(b))))
      .reply(201, ghComment(506, "reply"));
    expect((await server.deliver("issue_comment", command("/deploy now"))).status).toBe(200);
    expect(reply).toContain("`/deploy` is not a Handoff command");
    expect(reply).toContain("/rollback [checkpoint] [--strategy revert]");
  });
});

type RunPayload = {
  action: string;
  workflow_run: {
    id: number;
    path?: string;
    display_title?: string;
    conclusion: string | null;
    html_url: string;
  };
};

function workflowRun(conclusion: string, title = "handoff-agent #1 shell (label)"): RunPayload {
  const payload = examplePayload<RunPayload>("workflow_run", (e) => e.action === "completed");
  payload.workflow_run.path = ".github/workflows/handoff-agent.yml";
  payload.workflow_run.display_title = title;
  payload.workflow_run.conclusion = conclusion;
  return payload;
}

describe("workflow_run.completed", () => {
  it("ends the status in its final state with the run's link, even without evidence, and removes handoff:running", async () => {
    const scope = api.scope();
    mockInstallationToken(scope);
    // The config and the issue's comments in one GraphQL read.
    const queued = statusComment(1, { state: "queued" });
    mockConfig(scope, null, {
      comments: { 1: [{ id: queued.id, body: queued.body, login: "handoff[bot]", type: "Bot" }] },
    });
    const payload = workflowRun("timed_out");
    let status = "";
    scope
      .patch(`${APP_REPO_PATH}/issues/comments/600`, (b: { body: string }) => Boolean((status = body(b))))
      .reply(200, ghComment(600, "status"));
    scope.delete(`${APP_REPO_PATH}/issues/1/labels/${enc("handoff:running")}`).reply(200, []);
    expect((await server.deliver("workflow_run", payload)).status).toBe(200);
    expect(status).toContain("timed out");
    expect(status).toContain(payload.workflow_run.html_url);
    expect(status).toContain("the run posted no evidence");
    // Three calls beside the token: the read (config and comments), the status, the label.
    expect(
      api.requests.filter((r) => !r.path.startsWith("/app/")).map((r) => `${r.method} ${r.path}`),
    ).toEqual([
      "POST /graphql",
      `PATCH ${APP_REPO_PATH}/issues/comments/600`,
      `DELETE ${APP_REPO_PATH}/issues/1/labels/${enc("handoff:running")}`,
    ]);
  });

  it("costs no API call for a run of another workflow whose title names no issue", async () => {
    const payload = workflowRun("success", "Update README");
    payload.workflow_run.path = ".github/workflows/ci.yml";
    expect((await server.deliver("workflow_run", payload)).status).toBe(200);
    expect(api.requests).toEqual([]);
  });
});
