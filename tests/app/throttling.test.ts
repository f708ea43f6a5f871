/**
 * Throttling and retry on, as in production (Probot's Octokit), with a short retry-after base: a 403
 * secondary rate limit with `retry-after` and a 502 are both retried, and the /complete still does
 * everything exactly once.
 */
import { describe, expect, it } from "vitest";
import { examplePayload, useAppServer, testOctokit } from "../helpers/app-server.js";
import {
  APP_REPO_PATH,
  mockConfig,
  mockInstallationToken,
  mockSuccessfulComplete,
  resultPath,
  taskIssueBody,
} from "../helpers/app-github.js";
import { useGitHubApi } from "../helpers/github-api.js";
import { makePending } from "../helpers/llm-tasks.js";

const api = useGitHubApi();
const server = useAppServer({ Octokit: testOctokit({ retries: true, retryAfterBaseValue: 10 }) });

describe("the app under GitHub's limits", () => {
  it("retries a secondary rate limit and a 502, and loses nothing", async () => {
    const task = makePending("summarize", "Summarise.");
    const payload = examplePayload<{
      issue: { body: string; state: string };
      comment: { id: number; body: string };
      sender: { login: string; type: string };
    }>("issue_comment", (e) => e.action === "created");
    payload.issue.body = taskIssueBody(task);
    payload.issue.state = "open";
    payload.comment.body = "/complete The notes.";
    payload.sender.login = "alice";

    const scope = api.scope();
    mockInstallationToken(scope);
    mockConfig(scope, null);
    // The first permission lookup hits a secondary rate limit; the first commit gets a 502.
    scope.get(`${APP_REPO_PATH}/collaborators/alice/permission`).reply(
      403,
      {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      },
      { "retry-after": "1" },
    );
    scope
      .put(`${APP_REPO_PATH}/contents/${encodeURIComponent(resultPath(task.id))}`)
      .reply(502, { message: "Server Error" });
    const committed = mockSuccessfulComplete(scope, task, { login: "alice", commentId: payload.comment.id });

    const response = await server.deliver("issue_comment", payload);
    expect(response.status).toBe(200);
    expect(committed()).toMatchObject({ id: task.id, completed_by: "alice", content: "The notes." });
    const calls = api.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`);
    const count = (call: string) => calls.filter((c) => c === call).length;
    expect(count(`GET ${APP_REPO_PATH}/collaborators/alice/permission`)).toBe(2);
    expect(count(`PUT ${APP_REPO_PATH}/contents/${encodeURIComponent(resultPath(task.id))}`)).toBe(2);
    // The bulk read, then the reaction, reply and close in one mutation: each once.
    expect(count("POST /graphql")).toBe(2);
  });
});
