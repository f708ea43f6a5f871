/**
 * The GitHub forge beyond the contract: the environment factory (GHES URLs, tokens), throttling and
 * retry, error messages, and the nock harness's own rules (an unmocked request, an unused mock and a
 * request GitHub does not describe each fail the test).
 */
import { describe, expect, it } from "vitest";
import { ForgeError, UsageError } from "../../src/errors.js";
import {
  GitHubForge,
  apiUrlFromEnv,
  createOctokit,
  githubForgeFromEnv,
} from "../../src/forge/github/index.js";
import { useGitHubApi } from "../helpers/github-api.js";
import { OWNER, REPO, REPO_PATH, ghComment, ghIssue } from "../helpers/github-fixtures.js";

const mock = useGitHubApi();

describe("githubForgeFromEnv", () => {
  it("reads the Actions conventions and talks to a GHES API root", async () => {
    const ghes = "https://ghe.example.com/api/v3";
    mock
      .scope(ghes)
      .get(`/api/v3${REPO_PATH}/issues/3`)
      .matchHeader("authorization", "token ghp_secret")
      .reply(200, ghIssue(3, { title: "On GHES" }));
    const forge = githubForgeFromEnv(
      {
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GH_TOKEN: "ghp_secret",
        GITHUB_SERVER_URL: "https://ghe.example.com",
      },
      { noRetry: true },
    );
    expect((await forge.getIssue(3)).title).toBe("On GHES");
    expect(mock.requests[0]).toMatchObject({
      method: "GET",
      path: `${REPO_PATH}/issues/3`,
      url: `${ghes}${REPO_PATH}/issues/3`,
    });
  });

  it("prefers GITHUB_API_URL and defaults to api.github.com", () => {
    expect(apiUrlFromEnv({})).toBe("https://api.github.com");
    expect(apiUrlFromEnv({ GITHUB_SERVER_URL: "https://github.com" })).toBe("https://api.github.com");
    expect(apiUrlFromEnv({ GITHUB_API_URL: "http://127.0.0.1:9/api/", GITHUB_SERVER_URL: "https://x" })).toBe(
      "http://127.0.0.1:9/api",
    );
  });

  it("names the missing or malformed variable", () => {
    expect(() => githubForgeFromEnv({ GITHUB_TOKEN: "t" })).toThrow(/GITHUB_REPOSITORY=owner\/name/);
    expect(() => githubForgeFromEnv({ GITHUB_REPOSITORY: "octo", GITHUB_TOKEN: "t" })).toThrow(UsageError);
    expect(() => githubForgeFromEnv({ GITHUB_REPOSITORY: "o/r" })).toThrow(/GITHUB_TOKEN or GH_TOKEN/);
  });
});

describe("GitHub forge over a real Octokit", () => {
  it("retries a secondary rate limit (403 with retry-after) and a 502, and loses nothing", async () => {
    // A read: writes also pass the throttling plugin's one-write-per-second limiter, which is right in
    // production and only slow here.
    const api = mock.scope();
    api
      .get(`${REPO_PATH}/issues/1/comments`)
      .query({ per_page: 100 })
      .reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "1" });
    api.get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(502, "Bad Gateway");
    api
      .get(`${REPO_PATH}/issues/1/comments`)
      .query({ per_page: 100 })
      .reply(200, [ghComment(5, "hello")]);
    const forge = new GitHubForge(createOctokit({ token: "t", retryAfterBaseMs: 1 }), {
      owner: OWNER,
      repo: REPO,
    });
    const comments = await forge.listComments(1);
    expect(comments).toMatchObject([{ id: 5, body: "hello" }]);
    expect(mock.requests).toHaveLength(3);
  });

  it("with a write burst, writes still wait out and retry a secondary rate limit", async () => {
    const api = mock.scope();
    api
      .post(`${REPO_PATH}/issues/1/comments`, { body: "one" })
      .reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "1" });
    api.post(`${REPO_PATH}/issues/1/comments`, { body: "one" }).reply(201, ghComment(6, "one"));
    api.post(`${REPO_PATH}/issues/1/comments`, { body: "two" }).reply(201, ghComment(7, "two"));
    const forge = new GitHubForge(createOctokit({ token: "t", retryAfterBaseMs: 1, writeBurst: 5 }), {
      owner: OWNER,
      repo: REPO,
    });
    expect((await forge.createComment(1, "one")).id).toBe(6);
    expect((await forge.createComment(1, "two")).id).toBe(7);
    expect(mock.requests).toHaveLength(3);
  });

  it("turns a failure into a ForgeError naming the operation and GitHub's answer", async () => {
    mock
      .scope()
      .patch(`${REPO_PATH}/issues/4`, { state: "closed" })
      .reply(403, { message: "Resource not accessible by integration" });
    const forge = new GitHubForge(createOctokit({ token: "t", noRetry: true }), { owner: OWNER, repo: REPO });
    const error = await forge.closeIssue(4).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForgeError);
    expect((error as Error).message).toBe(
      `GitHub update issue #4 of ${OWNER}/${REPO} failed: HTTP 403: Resource not accessible by integration`,
    );
  });

  it("rejects a response missing a field the forge reads, with its JSON path", async () => {
    const broken = { ...ghIssue(6), title: undefined };
    mock.scope().get(`${REPO_PATH}/issues/6`).reply(200, broken);
    const forge = new GitHubForge(createOctokit({ token: "t", noRetry: true }), { owner: OWNER, repo: REPO });
    await expect(forge.getIssue(6)).rejects.toThrow(
      /get issue #6 of octo-org\/app: unexpected response: \$\.title:/,
    );
  });
});

describe("the nock harness", () => {
  it("fails on an unused mock", () => {
    mock.scope().get(`${REPO_PATH}/issues/1`).reply(200, ghIssue(1));
    expect(() => mock.verify()).toThrow(
      /mock never used: GET https:\/\/api.github.com:443\/repos\/octo-org\/app\/issues\/1/,
    );
    mock.reset();
  });

  it("fails on an unmocked request even when the code under test swallows the error", async () => {
    const forge = new GitHubForge(createOctokit({ token: "t", noRetry: true }), { owner: OWNER, repo: REPO });
    await forge.getIssue(2).catch(() => undefined);
    expect(() => mock.verify()).toThrow(
      /unmocked request: GET https:\/\/api.github.com\/repos\/octo-org\/app\/issues\/2/,
    );
    mock.reset();
  });

  it("fails on a request GitHub's OpenAPI description does not have", async () => {
    mock.scope().post(`${REPO_PATH}/labels`).reply(201, { name: "x" });
    const octokit = createOctokit({ token: "t", noRetry: true });
    await octokit.request("POST /repos/{owner}/{repo}/labels", {
      owner: OWNER,
      repo: REPO,
      name: "x",
      color: 7,
    } as never);
    expect(() => mock.verify()).toThrow(/POST \/repos\/octo-org\/app\/labels: body\/color must be string/);
    mock.reset();
  });
});
