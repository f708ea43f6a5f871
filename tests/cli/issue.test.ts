/**
 * `handoff issue …` and `handoff pr …` through the built CLI as a child process: on the local forge,
 * and once with `--forge github` against a 127.0.0.1 API server (a child process is out of nock's
 * reach), whose recorded requests are checked against GitHub's OpenAPI description.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";
import { OWNER, REPO, REPO_PATH, ghIssue } from "../helpers/github-fixtures.js";
import { checkAgainstOpenApi } from "../helpers/openapi.js";

describe("handoff issue and pr on the local forge", () => {
  it("creates, lists, shows, comments, labels and closes an issue without touching the worktree", () =>
    withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const env = { HANDOFF_USER: "alice" };
      const created = await runCli(
        ["issue", "create", "--title", "Fix the parser", "--body", "It breaks on tabs.", "--label", "bug"],
        { cwd: repo, env },
      );
      expect(created).toMatchObject({ code: 0 });
      expect(created.stdout).toMatch(
        /^created issue #1: file:\/\/.*\/\.git\/handoff\/forge\/issues\/1\.json$/m,
      );
      expect(
        (
          await runCli(["issue", "comment", "1", "--body", "Also on CRLF."], {
            cwd: repo,
            env: { HANDOFF_USER: "bob" },
          })
        ).code,
      ).toBe(0);
      expect(
        (await runCli(["issue", "label", "1", "area:parser", "urgent"], { cwd: repo, env })).stdout,
      ).toBe("#1: bug, area:parser, urgent\n");
      expect((await runCli(["issue", "label", "1", "urgent", "--remove"], { cwd: repo, env })).stdout).toBe(
        "#1: bug, area:parser\n",
      );
      const list = await runCli(["issue", "list", "--label", "bug"], { cwd: repo, env });
      expect(list.stdout).toBe("#1\topen\tFix the parser  [bug, area:parser]\n");
      const shown = await runCli(["issue", "show", "1", "--json"], { cwd: repo, env });
      const issue = JSON.parse(shown.stdout) as {
        author: { login: string };
        comments: { body: string; author: { login: string } }[];
      };
      expect(issue.author.login).toBe("alice");
      expect(issue.comments).toMatchObject([{ body: "Also on CRLF.", author: { login: "bob" } }]);
      expect((await runCli(["issue", "close", "1", "--comment", "Done."], { cwd: repo, env })).stdout).toBe(
        "closed #1\n",
      );
      expect((await runCli(["issue", "list"], { cwd: repo, env })).stdout).toBe("no issues\n");
      expect((await runCli(["issue", "list", "--state", "closed"], { cwd: repo, env })).stdout).toMatch(
        /^#1\tclosed/,
      );
      expect((await runCli(["pr", "list"], { cwd: repo, env })).stdout).toBe("no pull requests\n");
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
    }));

  it("answers a missing issue with exit code 4 and a bad number with 2", () =>
    withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const missing = await runCli(["issue", "show", "9"], { cwd: repo });
      expect(missing.code).toBe(4);
      expect(missing.stderr).toBe("handoff: local forge: issue #9 not found\n");
      const bad = await runCli(["pr", "show", "x"], { cwd: repo });
      expect(bad).toMatchObject({
        code: 2,
        stderr: 'handoff: pull request number must be a positive number, got "x"\n',
      });
      expect((await runCli(["issue", "comment", "1"], { cwd: repo })).stderr).toMatch(
        /--body TEXT or --body-file FILE/,
      );
    }));

  it("has --help on every command", async () => {
    for (const args of [
      ["issue", "create"],
      ["issue", "list"],
      ["issue", "show"],
      ["issue", "comment"],
      ["issue", "label"],
      ["issue", "close"],
      ["pr", "list"],
      ["pr", "show"],
      ["pr", "review"],
      ["tasks", "sync"],
    ]) {
      const help = await runCli([...args, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("--forge <kind>");
    }
  });
});

describe("handoff issue --forge github", () => {
  it("names the missing environment", async () => {
    const result = await runCli(["issue", "list", "--forge", "github"], {
      env: { GITHUB_REPOSITORY: "", GITHUB_TOKEN: "", GH_TOKEN: "" },
    });
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toMatch(/GITHUB_REPOSITORY=owner\/name/);
  });

  it("talks to GITHUB_API_URL with the token and sends only requests GitHub describes", async () => {
    const seen: { method: string; path: string; auth?: string; body?: unknown }[] = [];
    const server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString()));
      req.on("end", () => {
        const path = (req.url ?? "").replace(/^\/api\/v3/, "");
        seen.push({
          method: req.method ?? "",
          path,
          auth: req.headers.authorization,
          ...(raw ? { body: JSON.parse(raw) } : {}),
        });
        res.setHeader("content-type", "application/json");
        if (req.method === "GET" && path.startsWith(`${REPO_PATH}/issues?`)) {
          res.end(
            JSON.stringify([
              ghIssue(4, { title: "From the API", labels: ["bug"] }),
              ghIssue(5, { pull: true }),
            ]),
          );
        } else if (req.method === "POST" && path === `${REPO_PATH}/issues/4/comments`) {
          res.statusCode = 201;
          res.end(
            JSON.stringify({
              id: 9,
              body: "hi",
              user: { login: "bot", type: "Bot" },
              html_url: "https://github.com/x",
              created_at: "2026-01-01T00:00:00Z",
              updated_at: "2026-01-01T00:00:00Z",
            }),
          );
        } else {
          res.statusCode = 404;
          res.end(JSON.stringify({ message: "Not Found" }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    const env = {
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_TOKEN: "ghs_cli",
      GITHUB_API_URL: `http://127.0.0.1:${port}/api/v3`,
    };
    try {
      const list = await runCli(["issue", "list", "--forge", "github", "--label", "bug"], { env });
      expect(list).toMatchObject({ code: 0, stdout: "#4\topen\tFrom the API  [bug]\n" });
      const comment = await runCli(["issue", "comment", "4", "--forge", "github", "--body", "hi"], { env });
      expect(comment).toMatchObject({ code: 0, stdout: "commented on #4: https://github.com/x\n" });
    } finally {
      server.close();
    }
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${REPO_PATH}/issues?state=open&labels=bug&per_page=100`,
      `POST ${REPO_PATH}/issues/4/comments`,
    ]);
    expect(seen.every((r) => r.auth === "token ghs_cli")).toBe(true);
    expect(seen.flatMap((r) => checkAgainstOpenApi(r))).toEqual([]);
  });
});
