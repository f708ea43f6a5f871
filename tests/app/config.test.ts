/**
 * The app's config read (src/app/context.ts) keeps the semantics of Probot's `context.config()` in
 * its one GraphQL request: the repository's `.github/handoff.yml`, else the owner's `.github`
 * repository's; a file with `_extends` is handed to `context.config()`, which follows the chain and
 * merges (REST reads, checked against the OpenAPI description like every other request).
 */
import { Context, ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/context.js";
import { isConfigProblem } from "../../src/flows/llm-tasks/events.js";
import { APP_OWNER, APP_REPO, APP_REPO_PATH, mockConfig } from "../helpers/app-github.js";
import { examplePayload } from "../helpers/app-server.js";
import { answerBulkRead } from "../helpers/github-graphql.js";
import { useGitHubApi } from "../helpers/github-api.js";

const api = useGitHubApi();
const quiet = { debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {}, child: () => quiet };

function context(): Context<"issue_comment"> {
  const octokit = new ProbotOctokit({
    auth: { token: "t" },
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  const payload = examplePayload("issue_comment", (e) => e.action === "created");
  return new Context({ id: "1", name: "issue_comment", payload } as never, octokit as never, quiet as never);
}

const raw = (text: string) =>
  [200, text, { "content-type": "application/vnd.github.raw; charset=utf-8" }] as const;

describe("the app's config", () => {
  it("reads the owner's .github repository's file when the repository has none, in one request", async () => {
    api
      .scope()
      .post("/graphql")
      .reply(200, (_uri, body) =>
        answerBulkRead(body as { query: string }, {
          [`${APP_OWNER}/${APP_REPO}`]: { absent: ["HEAD:.github/handoff.yml"] },
          [`${APP_OWNER}/.github`]: { files: { "HEAD:.github/handoff.yml": "permission: admin\n" } },
        }),
      );
    const config = await loadConfig(context());
    expect(isConfigProblem(config) ? config : config.permission).toBe("admin");
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /graphql"]);
  });

  it("hands a file with _extends to context.config(), which follows it and merges", async () => {
    mockConfig(api.scope(), "_extends: base\npermission: admin\n");
    const file = `/contents/${encodeURIComponent(".github/handoff.yml")}`;
    api
      .scope()
      .get(`${APP_REPO_PATH}${file}`)
      .reply(...raw("_extends: base\npermission: admin\n"));
    api
      .scope()
      .get(`/repos/${APP_OWNER}/base${file}`)
      .reply(...raw("permission: maintain\ndashboard: true\n"));
    const config = await loadConfig(context());
    if (isConfigProblem(config)) throw new Error(config.message);
    expect(config.permission).toBe("admin");
    expect(config.dashboard).toBe(true);
  });

  it("answers YAML that is not a mapping with where it is", async () => {
    mockConfig(api.scope(), "- a\n- b\n");
    const config = await loadConfig(context());
    expect(isConfigProblem(config) && config.message).toContain(
      `${APP_OWNER}/${APP_REPO}:.github/handoff.yml`,
    );
  });
});
