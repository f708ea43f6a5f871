/**
 * `handoff run` over a forge, through the built CLI: the issue is read through it, the pull request
 * opened or updated through it, and the evidence comment upserted on the issue and the PR. Once on
 * GitHub (a scripted API on 127.0.0.1 whose requests are checked against the OpenAPI description),
 * then the local forge's migration of an old `.handoff/issues/N.json`, and `handoff evidence show`.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startApiServer } from "../helpers/api-server.js";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";
import { OWNER, REPO, REPO_PATH, ghComment, ghIssue, ghPull } from "../helpers/github-fixtures.js";
import { commandAgent, setupRepo } from "../runs/cli-fixtures.js";

const WRITE = "require('fs').writeFileSync('out.txt', require('fs').readFileSync(process.argv[1], 'utf8'))";
const BRANCH = "handoff/issue-5-add-a-greeting";
/** The issue's one evidence comment: its marker, then the run's comment with the run's own marker. */
const marker = (issue: number) =>
  new RegExp(`^<!-- handoff:evidence issue=${issue} -->\n<!-- handoff:evidence run=[\\w.:-]+ -->\n`);

describe("handoff run --forge github", () => {
  it("reads the issue from the API, opens the PR and posts the evidence comment on both", () =>
    withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, commandAgent("writer", WRITE));
      await sb.bareOrigin(repo);
      const posted: { target: string; body: string }[] = [];
      const comment = (target: string) => (call: { body?: unknown }) => {
        const body = (call.body as { body: string }).body;
        posted.push({ target, body });
        return { status: 201, body: ghComment(100 + posted.length, body) };
      };
      const api = await startApiServer([
        {
          method: "GET",
          path: `${REPO_PATH}/issues/5`,
          reply: () => ({
            body: ghIssue(5, { title: "Add a greeting", body: "Say hello.", labels: ["agent:writer"] }),
          }),
        },
        {
          method: "GET",
          path: `${REPO_PATH}/issues/5/comments?per_page=100`,
          reply: () => ({ body: [ghComment(9, "In French, please.", "reviewer")] }),
        },
        {
          method: "GET",
          path: `${REPO_PATH}/pulls?state=open&head=${OWNER}%3A${encodeURIComponent(BRANCH)}&base=main&per_page=100`,
          reply: () => ({ body: [] }),
        },
        {
          method: "POST",
          path: `${REPO_PATH}/pulls`,
          reply: (c) => ({
            status: 201,
            body: ghPull(6, { head: BRANCH, ...(c.body as { title: string; body: string }) }),
          }),
        },
        {
          method: "GET",
          path: `${REPO_PATH}/issues/5/comments?per_page=100`,
          reply: () => ({ body: [ghComment(9, "In French, please.", "reviewer")] }),
        },
        { method: "POST", path: `${REPO_PATH}/issues/5/comments`, reply: comment("issue") },
        { method: "GET", path: `${REPO_PATH}/issues/6/comments?per_page=100`, reply: () => ({ body: [] }) },
        { method: "POST", path: `${REPO_PATH}/issues/6/comments`, reply: comment("pr") },
      ]);
      try {
        const result = await runCli(
          [
            "run",
            "--issue",
            "5",
            "--agent",
            "writer",
            "--forge",
            "github",
            "--create-pr",
            "--push",
            "--json",
          ],
          {
            cwd: repo,
            env: { GITHUB_REPOSITORY: `${OWNER}/${REPO}`, GITHUB_TOKEN: "ghs_run", GITHUB_API_URL: api.url },
          },
        );
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        const out = JSON.parse(result.stdout) as Record<string, unknown>;
        expect(out).toMatchObject({
          end_reason: "done",
          branch: BRANCH,
          pull_request: { number: 6, created: true },
        });
        // The prompt carried the issue and its comment as the API returned them.
        const prompt = await readFile(join(repo, ".worktrees", "issue-5", "out.txt"), "utf8");
        expect(prompt).toContain("Add a greeting");
        expect(prompt).toContain("Say hello.");
        expect(prompt).toContain("In French, please.");
        const pr = api.calls.find((c) => c.method === "POST" && c.path === `${REPO_PATH}/pulls`);
        expect(pr?.body).toMatchObject({ head: BRANCH, base: "main", title: "Add a greeting (#5)" });
        expect(posted.map((p) => p.target)).toEqual(["issue", "pr"]);
        expect(posted[0]?.body).toMatch(marker(5));
        expect(posted[0]?.body).toBe(posted[1]?.body);
        expect(posted[0]?.body).toContain("https://github.com/octo-org/app/pull/6");
        expect(api.calls.every((c) => c.headers.authorization === "token ghs_run")).toBe(true);
        expect(api.problems()).toEqual([]);
      } finally {
        await api.close();
      }
    }));
});

describe("handoff run on the local forge", () => {
  it("migrates an old .handoff/issues/N.json once, then reads the forge; evidence show prints the posted comment", () =>
    withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, commandAgent("writer", WRITE));
      // Committed the way issues were kept before the local forge existed.
      await sb.commitFile(
        repo,
        ".handoff/issues/3.json",
        JSON.stringify({
          issue: 3,
          title: "Old style",
          body: "From the file.",
          comments: [{ author: "ann", body: "hi" }],
        }),
      );
      const first = await runCli(["run", "--issue", "3", "--agent", "writer", "--json"], { cwd: repo });
      expect(first.code).toBe(0);
      expect(first.stderr).toBe(
        `handoff: migrated ${join(repo, ".handoff", "issues", "3.json")} into the local forge as issue #3 (the file is no longer read)\n`,
      );
      const shown = JSON.parse((await runCli(["issue", "show", "3", "--json"], { cwd: repo })).stdout) as {
        title: string;
        comments: { author: { login: string }; body: string }[];
      };
      expect(shown.title).toBe("Old style");
      expect(shown.comments[0]).toMatchObject({ author: { login: "ann" }, body: "hi" });
      const evidence = shown.comments[1]?.body ?? "";
      expect(evidence).toMatch(marker(3));
      // The comment posted is exactly what `evidence show --markdown` prints for the run.
      const runId = (JSON.parse(first.stdout) as { run_id: string }).run_id;
      const markdown = await runCli(["evidence", "show", runId, "--markdown"], { cwd: repo });
      expect(markdown.code).toBe(0);
      expect(`<!-- handoff:evidence issue=3 -->\n${markdown.stdout}`).toBe(evidence);
      expect((await runCli(["evidence", "show", "--markdown"], { cwd: repo })).stdout).toBe(markdown.stdout);
      expect((await runCli(["evidence", "show", "nope"], { cwd: repo })).code).toBe(4);
      // The forge is the source of truth now: the old file is not read again.
      await sb.commitFile(
        repo,
        ".handoff/issues/3.json",
        JSON.stringify({ issue: 3, title: "Changed", body: "" }),
      );
      const second = await runCli(["run", "--issue", "3", "--agent", "writer", "--json"], { cwd: repo });
      expect(second.stderr).toBe("");
      expect(await readFile(join(repo, ".worktrees", "issue-3", "out.txt"), "utf8")).toContain("Old style");
    }));
});
