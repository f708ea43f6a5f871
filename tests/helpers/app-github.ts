/**
 * GitHub REST replies the app's handlers need, on top of the shared nock harness (github-api.ts) and
 * response shapes (github-fixtures.ts), for the example payloads' repository Codertocat/Hello-World.
 */
import type nock from "nock";
import { renderTaskIssueBody } from "../../src/flows/llm-tasks/issue.js";
import { defaultHandoffConfig } from "../../src/config/schema.js";
import type { PendingTask } from "../../src/llm-tasks/schemas.js";
import { toJsonText } from "../../src/llm-tasks/files.js";
import { ghContentFile, ghUser } from "./github-fixtures.js";
import { INSTALLATION_ID } from "./app-server.js";
import { type FakeRepo, type FakeWrite, answerBulkRead } from "./github-graphql.js";

export const APP_OWNER = "Codertocat";
export const APP_REPO = "Hello-World";
export const APP_REPO_PATH = `/repos/${APP_OWNER}/${APP_REPO}`;
export const QUEUE_BRANCH = "handoff/llm-tasks";
export const QUEUE_DIR = "workspaces/logs/agent_tasks";

const enc = encodeURIComponent;

/** The installation token Probot asks for (once per installation; Probot caches it after). */
export function mockInstallationToken(api: nock.Scope): void {
  api
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .optionally()
    .reply(201, { token: "ghs_installationtoken", expires_at: "2099-01-01T00:00:00Z", permissions: {} });
}

const CONFIG_AT = "HEAD:.github/handoff.yml";

/**
 * The one GraphQL bulk read of a delivery (src/app/context.ts): `.github/handoff.yml` absent from the
 * repository and with no `.github` repository of the owner, or this YAML; plus what `repo` describes
 * of the repository (an agent folder, comments, the queue); the rest it leaves to REST.
 */
export function mockConfig(api: nock.Scope, yaml: string | null, repo: FakeRepo = {}): void {
  const own: FakeRepo = {
    ...repo,
    files: { ...repo.files, ...(yaml === null ? {} : { [CONFIG_AT]: yaml }) },
    absent: [...(repo.absent ?? []), ...(yaml === null ? [CONFIG_AT] : [])],
  };
  api.post("/graphql").reply(200, (_uri, body) =>
    answerBulkRead(body as { query: string; variables?: Record<string, unknown> }, {
      [`${APP_OWNER}/${APP_REPO}`]: own,
    }),
  );
}

/**
 * The write mutation of a delivery (src/forge/github/mutations.ts); its writes are appended to
 * `writes` (ids as tests/helpers/github-graphql.ts hands them out: I_<issue>, IC_<comment>, L_<label>).
 */
export function mockMutation(api: nock.Scope, writes: FakeWrite[]): void {
  api
    .post("/graphql", (body: { query: string }) => body.query.startsWith("mutation"))
    .reply(200, (_uri, body) =>
      answerBulkRead(body as { query: string; variables?: Record<string, unknown> }, {}, writes),
    );
}

/** A file (or its absence) on the queue branch. */
export function mockQueueFile(api: nock.Scope, path: string, content: string | null): void {
  const scope = api.get(`${APP_REPO_PATH}/contents/${enc(path)}`).query({ ref: QUEUE_BRANCH });
  if (content === null) scope.reply(404, { message: "Not Found" });
  else scope.reply(200, ghContentFile(path, content, "5".repeat(40)));
}

export function pendingPath(id: string): string {
  return `${QUEUE_DIR}/pending/${id}.json`;
}
export function resultPath(id: string): string {
  return `${QUEUE_DIR}/results/${id}.json`;
}

/** The issue body sync writes for `task`, as the webhook payload carries it. */
export function taskIssueBody(task: PendingTask): string {
  const config = defaultHandoffConfig();
  return renderTaskIssueBody(task, null, config.llm_tasks, config.permission);
}

/**
 * Every reply of a successful `/complete` by `login` on issue 1 of a task that waits on the branch.
 * Returns a getter for the committed result, decoded from the PUT body.
 */
export function mockSuccessfulComplete(
  api: nock.Scope,
  task: PendingTask,
  options: { login: string; commentId: number },
): () => Record<string, unknown> {
  let committed: Record<string, unknown> = {};
  let written: FakeWrite[] = [];
  api.get(`${APP_REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, []);
  api
    .get(`${APP_REPO_PATH}/collaborators/${options.login}/permission`)
    .reply(200, { permission: "write", role_name: "write", user: ghUser(options.login) });
  mockQueueFile(api, resultPath(task.id), null);
  mockQueueFile(api, pendingPath(task.id), toJsonText(task));
  api
    .get(`${APP_REPO_PATH}/git/ref/${enc(`heads/${QUEUE_BRANCH}`)}`)
    .reply(200, { ref: `refs/heads/${QUEUE_BRANCH}`, object: { sha: "c".repeat(40), type: "commit" } });
  mockQueueFile(api, resultPath(task.id), null);
  api
    .put(
      `${APP_REPO_PATH}/contents/${enc(resultPath(task.id))}`,
      (body: { content: string; branch: string }) => {
        committed = JSON.parse(Buffer.from(body.content, "base64").toString("utf8")) as Record<
          string,
          unknown
        >;
        return body.branch === QUEUE_BRANCH;
      },
    )
    .reply(201, {
      content: ghContentFile(resultPath(task.id), "{}", "6".repeat(40)),
      commit: { sha: "d".repeat(40) },
    });
  // The reaction, the reply and the close: one mutation (the payload carries the ids it needs).
  const writes: FakeWrite[] = [];
  mockMutation(api, writes);
  written = writes;
  return () => {
    // The last writes, as the mutation made them: a 🚀 on the comment, the reply, the close.
    const [react, reply, close] = written;
    if (react?.mutation !== "addReaction" || react.input.content !== "ROCKET")
      throw new Error(`no rocket reaction among ${JSON.stringify(written)}`);
    if (
      reply?.mutation !== "addComment" ||
      !String(reply.input.body).includes(`<!-- handoff:complete comment=${options.commentId} -->`)
    )
      throw new Error(`no reply to comment ${options.commentId} among ${JSON.stringify(written)}`);
    if (close?.mutation !== "closeIssue") throw new Error(`no close among ${JSON.stringify(written)}`);
    return committed;
  };
}
