/**
 * One contract, two forges: every case runs against the local forge (real git, real files) and the
 * GitHub forge (real Octokit, nock at the HTTP edge, every request checked against the OpenAPI
 * description). Each case arranges the same starting state on both — as files for the local forge, as
 * the exact API replies for GitHub — and then makes the same calls and the same assertions.
 */
import { mkdir, writeFile } from "node:fs/promises";
import type nock from "nock";
import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/errors.js";
import { GitHubForge, createOctokit } from "../../src/forge/github/index.js";
import { type Forge, LocalForge, publishPullRequest } from "../../src/forge/index.js";
import { type GitHubApiMock, useGitHubApi } from "../helpers/github-api.js";
import {
  OWNER,
  REPO,
  REPO_PATH,
  ghComment,
  ghContentFile,
  ghIssue,
  ghPull,
  ghUser,
} from "../helpers/github-fixtures.js";
import { type GitSandbox, withGitSandbox } from "../helpers/git.js";

const MARK = "<!-- handoff:evidence run=r1 -->";
const BRANCH = "handoff/issue-1-fix";

interface LocalContext {
  forge: LocalForge;
  sandbox: GitSandbox;
  repo: string;
}

interface Case {
  name: string;
  local(ctx: LocalContext): Promise<void>;
  github(api: nock.Scope, mock: GitHubApiMock): void;
  check(forge: Forge, side: "local" | "github"): Promise<void>;
}

const cases: Case[] = [
  {
    name: "upserts a sticky comment by its marker: created once, then updated in place, no write when unchanged",
    async local({ forge }) {
      await forge.createIssue({ title: "Fix", body: "" });
      await forge.createComment(1, "an unrelated comment");
    },
    github(api) {
      const other = ghComment(11, "an unrelated comment", "octocat");
      api.get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [other]);
      api
        .post(`${REPO_PATH}/issues/1/comments`, { body: `${MARK}\nfirst` })
        .reply(201, ghComment(12, `${MARK}\nfirst`));
      api
        .get(`${REPO_PATH}/issues/1/comments`)
        .query({ per_page: 100 })
        .reply(200, [other, ghComment(12, `${MARK}\nfirst`)]);
      api
        .patch(`${REPO_PATH}/issues/comments/12`, { body: `${MARK}\nsecond` })
        .reply(200, ghComment(12, `${MARK}\nsecond`));
      api
        .get(`${REPO_PATH}/issues/1/comments`)
        .query({ per_page: 100 })
        .times(2)
        .reply(200, [other, ghComment(12, `${MARK}\nsecond`)]);
    },
    async check(forge) {
      const first = await forge.upsertComment(1, MARK, `${MARK}\nfirst`);
      expect(first.created).toBe(true);
      const second = await forge.upsertComment(1, MARK, `${MARK}\nsecond`);
      expect(second).toMatchObject({
        created: false,
        comment: { id: first.comment.id, body: `${MARK}\nsecond` },
      });
      const third = await forge.upsertComment(1, MARK, `${MARK}\nsecond`);
      expect(third).toMatchObject({ created: false, comment: { id: first.comment.id } });
      const comments = await forge.listComments(1);
      expect(comments.map((c) => c.body)).toEqual(["an unrelated comment", `${MARK}\nsecond`]);
      await expect(forge.upsertComment(1, MARK, "no marker here")).rejects.toThrow(/must contain its marker/);
    },
  },
  {
    name: "opens a branch's pull request once and updates it on the next publish",
    async local({ sandbox, repo }) {
      await sandbox.git(repo, "branch", BRANCH);
    },
    github(api) {
      const query = { state: "open", head: `${OWNER}:${BRANCH}`, base: "main", per_page: 100 };
      api.get(`${REPO_PATH}/pulls`).query(query).reply(200, []);
      api
        .post(`${REPO_PATH}/pulls`, { head: BRANCH, base: "main", title: "Fix #1", body: "v1", draft: false })
        .reply(201, ghPull(2, { head: BRANCH, title: "Fix #1", body: "v1" }));
      api
        .get(`${REPO_PATH}/pulls`)
        .query(query)
        .reply(200, [ghPull(2, { head: BRANCH, title: "Fix #1", body: "v1" })]);
      api
        .patch(`${REPO_PATH}/pulls/2`, { title: "Fix #1", body: "v2" })
        .reply(200, ghPull(2, { head: BRANCH, title: "Fix #1", body: "v2" }));
      api
        .get(`${REPO_PATH}/pulls`)
        .query(query)
        .reply(200, [ghPull(2, { head: BRANCH, title: "Fix #1", body: "v2" })]);
    },
    async check(forge) {
      const input = { head: BRANCH, base: "main", title: "Fix #1" };
      const first = await publishPullRequest(forge, { ...input, body: "v1" });
      expect(first.created).toBe(true);
      expect(first.pullRequest).toMatchObject({ head: BRANCH, base: "main", state: "open", body: "v1" });
      const second = await publishPullRequest(forge, { ...input, body: "v2" });
      expect(second).toMatchObject({
        created: false,
        pullRequest: { number: first.pullRequest.number, body: "v2" },
      });
      const third = await publishPullRequest(forge, { ...input, body: "v2" });
      expect(third.created).toBe(false);
      expect(third.pullRequest.headSha).toMatch(/^[0-9a-f]{40}$/);
    },
  },
  {
    name: "reads a user's permission from the role, and none for a stranger",
    async local({ forge }) {
      await forge.setPermission("alice", "write");
      await forge.setPermission("carol", "maintain");
      await forge.setPermission("trish", "triage");
    },
    github(api) {
      const perm = (login: string, permission: string, role: string) =>
        api
          .get(`${REPO_PATH}/collaborators/${login}/permission`)
          .reply(200, { permission, role_name: role, user: ghUser(login) });
      perm("alice", "write", "write");
      perm("carol", "write", "maintain");
      perm("trish", "read", "triage");
      api.get(`${REPO_PATH}/collaborators/bob/permission`).reply(404, { message: "Not Found" });
    },
    async check(forge) {
      expect(await forge.getPermission("alice")).toBe("write");
      expect(await forge.getPermission("carol")).toBe("maintain");
      expect(await forge.getPermission("trish")).toBe("triage");
      expect(await forge.getPermission("bob")).toBe("none");
    },
  },
  {
    name: "commits a file to a new branch, makes no commit when unchanged, updates it, and reads it back",
    async local() {},
    github(api) {
      const path = "queue/pending/t__1.json";
      api.get(`${REPO_PATH}/git/ref/heads%2Fhandoff%2Fllm-tasks`).reply(404, { message: "Not Found" });
      api
        .get(REPO_PATH)
        .reply(200, { id: 1, name: REPO, full_name: `${OWNER}/${REPO}`, default_branch: "main" });
      api
        .get(`${REPO_PATH}/git/ref/heads%2Fmain`)
        .reply(200, { ref: "refs/heads/main", object: { sha: "c".repeat(40), type: "commit" } });
      api
        .post(`${REPO_PATH}/git/refs`, { ref: "refs/heads/handoff/llm-tasks", sha: "c".repeat(40) })
        .reply(201, { ref: "refs/heads/handoff/llm-tasks", object: { sha: "c".repeat(40) } });
      api
        .get(`${REPO_PATH}/contents/queue%2Fpending%2Ft__1.json`)
        .query({ ref: "handoff/llm-tasks" })
        .reply(404, { message: "Not Found" });
      api
        .put(
          `${REPO_PATH}/contents/queue%2Fpending%2Ft__1.json`,
          (body: Record<string, unknown>) =>
            body.content === Buffer.from("{}\n").toString("base64") && body.sha === undefined,
        )
        .reply(201, {
          content: ghContentFile(path, "{}\n", "1".repeat(40)),
          commit: { sha: "d".repeat(40) },
        });
      const ref = (sha: string) => ({ ref: "refs/heads/handoff/llm-tasks", object: { sha, type: "commit" } });
      api.get(`${REPO_PATH}/git/ref/heads%2Fhandoff%2Fllm-tasks`).reply(200, ref("d".repeat(40)));
      api
        .get(`${REPO_PATH}/contents/queue%2Fpending%2Ft__1.json`)
        .query({ ref: "handoff/llm-tasks" })
        .reply(200, ghContentFile(path, "{}\n", "1".repeat(40)));
      api.get(`${REPO_PATH}/git/ref/heads%2Fhandoff%2Fllm-tasks`).reply(200, ref("d".repeat(40)));
      api
        .get(`${REPO_PATH}/contents/queue%2Fpending%2Ft__1.json`)
        .query({ ref: "handoff/llm-tasks" })
        .reply(200, ghContentFile(path, "{}\n", "1".repeat(40)));
      api
        .put(
          `${REPO_PATH}/contents/queue%2Fpending%2Ft__1.json`,
          (body: Record<string, unknown>) => body.sha === "1".repeat(40),
        )
        .reply(200, {
          content: ghContentFile(path, '{"a":1}\n', "2".repeat(40)),
          commit: { sha: "e".repeat(40) },
        });
      api
        .get(`${REPO_PATH}/contents/queue%2Fpending%2Ft__1.json`)
        .query({ ref: "handoff/llm-tasks" })
        .reply(200, ghContentFile(path, '{"a":1}\n', "2".repeat(40)));
      api
        .get(`${REPO_PATH}/contents/queue%2Fpending`)
        .query({ ref: "handoff/llm-tasks" })
        .reply(200, [{ type: "file", name: "t__1.json", path, sha: "2".repeat(40), size: 8 }]);
      api
        .get(`${REPO_PATH}/contents/queue%2Fpending%2Fnone.json`)
        .query({ ref: "handoff/llm-tasks" })
        .reply(404, { message: "Not Found" });
    },
    async check(forge) {
      const input = { branch: "handoff/llm-tasks", path: "queue/pending/t__1.json", message: "Add t__1" };
      const first = await forge.commitFile({ ...input, content: "{}\n" });
      expect(first).toMatchObject({ created: true, unchanged: false });
      const again = await forge.commitFile({ ...input, content: "{}\n" });
      expect(again).toEqual({ commitSha: first.commitSha, created: false, unchanged: true });
      const update = await forge.commitFile({ ...input, content: '{"a":1}\n' });
      expect(update).toMatchObject({ created: false, unchanged: false });
      expect(update.commitSha).not.toBe(first.commitSha);
      expect((await forge.readFile(input.path, input.branch))?.content).toBe('{"a":1}\n');
      const listing = await forge.listDirectory("queue/pending", input.branch);
      expect(listing?.map((e) => [e.name, e.type])).toEqual([["t__1.json", "file"]]);
      expect(await forge.readFile("queue/pending/none.json", input.branch)).toBeNull();
    },
  },
  {
    name: "creates a missing label once with its colour and description; adding it again changes nothing",
    async local({ forge }) {
      await forge.createIssue({ title: "Task", body: "" });
    },
    github(api) {
      api.get(`${REPO_PATH}/labels/handoff%3Allm-task`).reply(404, { message: "Not Found" });
      api
        .post(`${REPO_PATH}/labels`, {
          name: "handoff:llm-task",
          color: "5319e7",
          description: "An LLM task waiting for an answer",
        })
        .reply(201, { id: 1, name: "handoff:llm-task", color: "5319e7" });
      api
        .get(`${REPO_PATH}/labels/handoff%3Allm-task`)
        .times(2)
        .reply(200, { id: 1, name: "handoff:llm-task", color: "5319e7" });
      api
        .post(`${REPO_PATH}/issues/1/labels`, { labels: ["handoff:llm-task"] })
        .reply(200, [{ id: 1, name: "handoff:llm-task" }]);
      api
        .get(`${REPO_PATH}/issues/1`)
        .reply(200, ghIssue(1, { title: "Task", labels: ["handoff:llm-task"] }));
    },
    async check(forge) {
      const label = {
        name: "handoff:llm-task",
        color: "5319e7",
        description: "An LLM task waiting for an answer",
      };
      await forge.ensureLabel(label);
      await forge.ensureLabel(label);
      await forge.addLabels(1, [label]);
      expect((await forge.getIssue(1)).labels).toEqual(["handoff:llm-task"]);
      if (forge instanceof LocalForge) {
        expect(await forge.store.labels()).toEqual({
          "handoff:llm-task": { color: "5319e7", description: label.description },
        });
      }
    },
  },
  {
    name: "lists every issue across pages, without pull requests, and finds one by its marker",
    async local({ forge, sandbox, repo }) {
      // 101 issue files written as the documented format, as a hand-made state would be.
      await mkdir(forge.store.file("issues"), { recursive: true });
      for (let n = 1; n <= 101; n++) {
        const body = n === 101 ? "<!-- handoff:llm-task id=t__101 -->" : "";
        const time = new Date().toISOString();
        const issue = {
          number: n,
          title: `Task ${n}`,
          body,
          state: "open",
          labels: ["handoff:llm-task"],
          author: { login: "alice", type: "User" },
          createdAt: time,
          updatedAt: time,
        };
        await writeFile(forge.store.issueFile(n), JSON.stringify(issue));
      }
      await writeFile(forge.store.file("meta.json"), JSON.stringify({ nextNumber: 102, nextId: 1 }));
      await sandbox.git(repo, "branch", BRANCH);
      await forge.createPullRequest({ head: BRANCH, base: "main", title: "PR", body: "" });
    },
    github(api) {
      const issues = Array.from({ length: 101 }, (_, i) =>
        ghIssue(i + 1, {
          title: `Task ${i + 1}`,
          labels: ["handoff:llm-task"],
          body: i === 100 ? "<!-- handoff:llm-task id=t__101 -->" : null,
        }),
      );
      const next = `<https://api.github.com${REPO_PATH}/issues?state=open&labels=handoff%3Allm-task&per_page=100&page=2>; rel="next", <https://api.github.com${REPO_PATH}/issues?state=open&labels=handoff%3Allm-task&per_page=100&page=2>; rel="last"`;
      for (const state of ["open", "all"]) {
        const link = next.replaceAll("state=open", `state=${state}`);
        api
          .get(`${REPO_PATH}/issues`)
          .query({ state, labels: "handoff:llm-task", per_page: 100 })
          .reply(200, issues.slice(0, 100), { link });
        api
          .get(`${REPO_PATH}/issues`)
          .query({ state, labels: "handoff:llm-task", per_page: 100, page: 2 })
          .reply(200, [
            ...issues.slice(100),
            ghIssue(102, { title: "PR", pull: true, labels: ["handoff:llm-task"] }),
          ]);
      }
    },
    async check(forge) {
      const listed = await forge.listIssues({ labels: ["handoff:llm-task"] });
      expect(listed).toHaveLength(101);
      expect(listed.every((i) => !i.isPullRequest)).toBe(true);
      const found = await forge.findIssueByMarker("<!-- handoff:llm-task id=t__101 -->", {
        labels: ["handoff:llm-task"],
      });
      expect(found?.number).toBe(101);
    },
  },
  {
    name: "says not found the same way: NotFoundError from get, null from find and read",
    async local() {},
    github(api) {
      api.get(`${REPO_PATH}/issues/999`).reply(404, { message: "Not Found" });
      api.get(`${REPO_PATH}/pulls/999`).reply(404, { message: "Not Found" });
      api
        .get(`${REPO_PATH}/pulls`)
        .query({ state: "open", head: `${OWNER}:nope`, per_page: 100 })
        .reply(200, []);
      api
        .get(`${REPO_PATH}/contents/missing.txt`)
        .query({ ref: "main" })
        .reply(404, { message: "Not Found" });
      api.post(`${REPO_PATH}/issues/999/comments`).reply(404, { message: "Not Found" });
    },
    async check(forge) {
      await expect(forge.getIssue(999)).rejects.toBeInstanceOf(NotFoundError);
      await expect(forge.getPullRequest(999)).rejects.toThrow(/999.*not found/i);
      expect(await forge.findPullRequest({ head: "nope" })).toBeNull();
      expect(await forge.readFile("missing.txt", "main")).toBeNull();
      await expect(forge.createComment(999, "hi")).rejects.toBeInstanceOf(NotFoundError);
    },
  },
  {
    name: "dispatches a workflow, titles its run after the issue, lists the newest runs and gets one by id",
    async local() {},
    github(api) {
      api
        .post(`${REPO_PATH}/actions/workflows/handoff-agent.yml/dispatches`, {
          ref: "main",
          inputs: { issue: "7", agent: "shell", reason: "label" },
        })
        .reply(204);
      const run = {
        id: 501,
        name: "handoff-agent",
        display_title: "handoff-agent #7 shell (label)",
        path: ".github/workflows/handoff-agent.yml",
        event: "workflow_dispatch",
        status: "queued",
        conclusion: null,
        head_branch: "main",
        html_url: `https://github.com/${OWNER}/${REPO}/actions/runs/501`,
        created_at: "2026-01-01T00:00:00Z",
      };
      api
        .get(`${REPO_PATH}/actions/workflows/handoff-agent.yml/runs`)
        .query({ per_page: 1 })
        .reply(200, { total_count: 1, workflow_runs: [run] });
      api.get(`${REPO_PATH}/actions/runs/501`).reply(200, run);
      api.get(`${REPO_PATH}/actions/runs/502`).reply(404, { message: "Not Found" });
    },
    async check(forge) {
      await forge.dispatchWorkflow({
        workflow: "handoff-agent.yml",
        ref: "main",
        inputs: { issue: "7", agent: "shell", reason: "label" },
      });
      const [newest, ...rest] = await forge.listWorkflowRuns({ workflow: "handoff-agent.yml", limit: 1 });
      expect(rest).toEqual([]);
      expect(newest).toMatchObject({
        workflow: "handoff-agent.yml",
        name: "handoff-agent",
        displayTitle: "handoff-agent #7 shell (label)",
        status: "queued",
        conclusion: null,
      });
      expect(await forge.getWorkflowRun(newest!.id)).toEqual(newest);
      await expect(forge.getWorkflowRun(newest!.id + 1)).rejects.toBeInstanceOf(NotFoundError);
    },
  },
];

describe("forge contract: local", () => {
  for (const c of cases) {
    it(c.name, () =>
      withGitSandbox(async (sandbox) => {
        const repo = await sandbox.createRepo("repo");
        const forge = await LocalForge.open(repo, { actor: "handoff-bot" });
        const before = await sandbox.git(repo, "status", "--porcelain");
        await c.local({ forge, sandbox, repo });
        await c.check(forge, "local");
        // The local forge never writes into the worktree.
        expect(await sandbox.git(repo, "status", "--porcelain")).toBe(before);
      }),
    );
  }
});

describe("forge contract: github", () => {
  const mock = useGitHubApi();
  for (const c of cases) {
    it(c.name, async () => {
      c.github(mock.scope(), mock);
      const forge = new GitHubForge(createOctokit({ token: "ghs_test", noRetry: true }), {
        owner: OWNER,
        repo: REPO,
      });
      await c.check(forge, "github");
    });
  }
});
