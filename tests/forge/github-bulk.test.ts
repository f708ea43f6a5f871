/**
 * The GitHub forge's bulk reads and writes (src/forge/github/{graphql,prefetch,mutations}.ts): one
 * GraphQL request answers the reads a flow announced, a write drops what it could have made stale,
 * independent writes go in one mutation when their ids are known and through REST when not, and a
 * GraphQL failure leaves the reads to REST. Every request, GraphQL included, is checked by the harness
 * (REST against the OpenAPI description, GraphQL against GitHub's schema).
 */
import { describe, expect, it } from "vitest";
import { GitHubForge, createOctokit } from "../../src/forge/github/index.js";
import { type FakeRepo, type FakeWrite, answerBulkRead } from "../helpers/github-graphql.js";
import { useGitHubApi } from "../helpers/github-api.js";
import { OWNER, REPO, REPO_PATH, ghComment } from "../helpers/github-fixtures.js";

const mock = useGitHubApi();
const forge = () =>
  new GitHubForge(createOctokit({ token: "t", noRetry: true }), { owner: OWNER, repo: REPO });

function graphql(repo: FakeRepo, writes?: FakeWrite[]) {
  mock
    .scope()
    .post("/graphql")
    .reply(200, (_uri, body) =>
      answerBulkRead(body as { query: string }, { [`${OWNER}/${REPO}`]: repo }, writes),
    );
}

describe("GitHubForge.prefetch", () => {
  it("answers the announced reads from one request, and reads again through REST after a write", async () => {
    graphql({
      files: { "main:agents/x/agent.yaml": "name: x\n", "main:agents/x/prompts/a.md": "A" },
      absent: ["q:q/results"],
      comments: { 7: [{ id: 70, body: "hello", login: "handoff[bot]", type: "Bot" }] },
      openIssues: {
        "handoff:llm-task": [{ number: 3, title: "T", body: "b", labels: ["handoff:llm-task"] }],
      },
      labels: ["handoff:llm-task"],
    });
    const f = forge();
    await f.prefetch({
      folders: [
        { path: "agents/x", ref: "main" },
        { path: "q/results", ref: "q", texts: false },
      ],
      comments: [7],
      openIssuesLabeled: ["handoff:llm-task"],
      labels: true,
    });
    expect((await f.listDirectory("agents/x", "main"))?.map((e) => [e.name, e.type])).toEqual([
      ["agent.yaml", "file"],
      ["prompts", "dir"],
    ]);
    expect((await f.readFile("agents/x/prompts/a.md", "main"))?.content).toBe("A");
    expect(await f.listDirectory("q/results", "q")).toBeNull();
    expect((await f.listComments(7)).map((c) => [c.id, c.author])).toEqual([
      [70, { login: "handoff[bot]", type: "Bot" }],
    ]);
    expect((await f.listIssues({ labels: ["handoff:llm-task"] })).map((i) => i.number)).toEqual([3]);
    await f.ensureLabel({ name: "handoff:llm-task", color: "5319e7" });
    // Announcing the same reads again costs nothing.
    await f.prefetch({ comments: [7], labels: true });
    expect(mock.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /graphql"]);

    // A comment written: the list may be stale, so it is read again (REST).
    mock.scope().post(`${REPO_PATH}/issues/7/comments`).reply(201, ghComment(71, "new"));
    mock
      .scope()
      .get(`${REPO_PATH}/issues/7/comments`)
      .query({ per_page: 100 })
      .reply(200, [ghComment(70, "hello"), ghComment(71, "new")]);
    await f.createComment(7, "new");
    expect((await f.listComments(7)).map((c) => c.id)).toEqual([70, 71]);
  });

  it("leaves the reads to REST when GraphQL fails", async () => {
    mock.scope().post("/graphql").reply(502, { message: "Server Error" });
    mock
      .scope()
      .get(`${REPO_PATH}/issues/7/comments`)
      .query({ per_page: 100 })
      .reply(200, [ghComment(70, "hello")]);
    const f = forge();
    await f.prefetch({ comments: [7] });
    expect((await f.listComments(7)).map((c) => c.id)).toEqual([70]);
  });
});

describe("GitHubForge.writeAll", () => {
  it("makes independent writes in one mutation once the ids are known, and through REST when not", async () => {
    const writes: FakeWrite[] = [];
    graphql({ comments: { 7: [] }, labels: ["handoff:running"] });
    graphql({}, writes);
    const f = forge();
    await f.prefetch({ comments: [7], labels: true });
    const [comment] = await f.writeAll([
      { kind: "comment", issue: 7, body: "status" },
      { kind: "addLabels", issue: 7, labels: ["handoff:running"] },
    ]);
    expect(comment?.body).toBe("status");
    expect(writes).toEqual([
      { mutation: "addComment", input: { subjectId: "I_7", body: "status" } },
      { mutation: "addLabelsToLabelable", input: { labelableId: "I_7", labelIds: ["L_handoff:running"] } },
    ]);

    // A label the repository lacks has no id: REST, which creates it.
    mock.scope().post(`${REPO_PATH}/issues/7/comments`).reply(201, ghComment(72, "again"));
    mock
      .scope()
      .post(`${REPO_PATH}/issues/7/labels`, { labels: ["brand-new"] })
      .reply(200, []);
    await f.writeAll([
      { kind: "comment", issue: 7, body: "again" },
      { kind: "addLabels", issue: 7, labels: ["brand-new"] },
    ]);
    expect(mock.requests.map((r) => `${r.method} ${r.path}`).slice(2)).toEqual([
      `POST ${REPO_PATH}/issues/7/comments`,
      `POST ${REPO_PATH}/issues/7/labels`,
    ]);
  });
});
