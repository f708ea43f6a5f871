/**
 * The LLM-task flows over the local forge with real git: push → sync → /complete → pull, every refusal
 * (reply posted, nothing written, issue left open), and a redelivered comment with no second effect.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultHandoffConfig } from "../../src/config/schema.js";
import { type CompleteEvent, completeFromComment } from "../../src/flows/llm-tasks/complete.js";
import { taskIdOfBody, taskMarker } from "../../src/flows/llm-tasks/issue.js";
import { branchSource, localSource } from "../../src/flows/llm-tasks/queue-source.js";
import { syncTasks } from "../../src/flows/llm-tasks/sync.js";
import { pullQueue, pushQueue } from "../../src/flows/llm-tasks/transfer.js";
import { LocalForge } from "../../src/forge/local/forge.js";
import type { ForgeComment, ForgeIssue } from "../../src/forge/types.js";
import { TaskQueue } from "../../src/llm-tasks/queue.js";
import { type GitSandbox, withGitSandbox } from "../helpers/git.js";
import { KIND_SCHEMA, makePending } from "../helpers/llm-tasks.js";

const config = defaultHandoffConfig();
const BRANCH = config.llm_tasks.branch;

interface World {
  sandbox: GitSandbox;
  repo: string;
  forge: LocalForge;
  queue: TaskQueue;
}

async function withWorld(fn: (w: World) => Promise<void>): Promise<void> {
  await withGitSandbox(async (sandbox) => {
    const repo = await sandbox.createRepo("repo", { files: { "README.md": "# r\n" } });
    const forge = await LocalForge.open(repo, { actor: "handoff-app" });
    await forge.setPermission("alice", "write");
    await forge.setPermission("tracy", "triage");
    await forge.setPermission("rita", "read");
    const queue = new TaskQueue(join(repo, config.llm_tasks.dir));
    await fn({ sandbox, repo, forge, queue });
  });
}

/** Two pending tasks in the local queue (one wants JSON against a schema), pushed and synced. */
async function pendingAndSynced(w: World) {
  const kind = makePending("classify", "What kind of change?", { responseFormat: KIND_SCHEMA, cwd: w.repo });
  const text = makePending("summarize", "Summarise the release.", { cwd: w.repo });
  await w.queue.writePendingIfAbsent(kind);
  await w.queue.writePendingIfAbsent(text);
  await pushQueue(w.forge, w.queue, config.llm_tasks);
  const report = await syncTasks(w.forge, branchSource(w.forge, config.llm_tasks), config);
  const issueOf = (id: string) => report.created.find((c) => c.id === id)!.issue;
  return { kind, text, report, kindIssue: issueOf(kind.id), textIssue: issueOf(text.id) };
}

async function comment(w: World, login: string, issue: number, body: string): Promise<CompleteEvent> {
  const c: ForgeComment = await w.forge.as(login).createComment(issue, body);
  const i: ForgeIssue = await w.forge.getIssue(issue);
  return {
    issue: { number: i.number, body: i.body, state: i.state },
    comment: { id: c.id, body: c.body },
    sender: { login, type: login.endsWith("[bot]") ? "Bot" : "User" },
  };
}

describe("LLM tasks ↔ issues on the local forge", () => {
  it("push, sync, /complete and pull make the round trip, and syncing again changes nothing", async () => {
    await withWorld(async (w) => {
      const before = await w.sandbox.git(w.repo, "status", "--porcelain", "--untracked-files=no");
      const { kind, text, report, kindIssue } = await pendingAndSynced(w);
      expect(report.created).toHaveLength(2);

      const issue = await w.forge.getIssue(kindIssue);
      expect(taskIdOfBody(issue.body)).toBe(kind.id);
      expect(issue.labels).toEqual(expect.arrayContaining(["handoff:llm-task", "task:classify"]));
      expect(issue.title).toBe(`LLM task classify: ${kind.id}`);

      const again = await syncTasks(w.forge, localSource(w.queue), config);
      expect(again.created).toEqual([]);
      expect(again.existing.map((e) => e.id).sort()).toEqual([kind.id, text.id].sort());
      expect(await w.forge.listIssues({ labels: ["handoff:llm-task"] })).toHaveLength(2);

      const event = await comment(w, "alice", kindIssue, '/complete\n```json\n{"kind": "feature"}\n```');
      const outcome = await completeFromComment(w.forge, config, event);
      expect(outcome).toMatchObject({ kind: "completed", id: kind.id, dispatched: false });

      const stored = await w.forge.readFile(`${config.llm_tasks.dir}/results/${kind.id}.json`, BRANCH);
      expect(JSON.parse(stored!.content)).toMatchObject({
        schema_version: 1,
        id: kind.id,
        task: "classify",
        completed_by: "alice",
        content: '{"kind": "feature"}',
      });
      const closed = await w.forge.getIssue(kindIssue);
      expect(closed.state).toBe("closed");
      const replies = await w.forge.listComments(kindIssue);
      expect(replies.at(-1)!.body).toContain(
        `committed to \`${config.llm_tasks.dir}/results/${kind.id}.json\``,
      );
      const record = await w.forge.store.readIssue(kindIssue);
      expect(record!.reactions).toContainEqual({
        commentId: event.comment.id,
        content: "rocket",
        user: "handoff-app",
      });

      const pulled = await pullQueue(w.forge, w.queue, config.llm_tasks);
      expect(pulled.pulled).toEqual([kind.id]);
      expect((await w.queue.readResult(kind.id))?.content).toBe('{"kind": "feature"}');
      expect((await pullQueue(w.forge, w.queue, config.llm_tasks)).pulled).toEqual([]);

      // The queue branch moved; the working tree did not.
      expect(await w.sandbox.git(w.repo, "status", "--porcelain", "--untracked-files=no")).toBe(before);
    });
  });

  it("sync closes an open issue whose task was answered some other way", async () => {
    await withWorld(async (w) => {
      const { text, textIssue } = await pendingAndSynced(w);
      await w.forge.commitFile({
        branch: BRANCH,
        path: `${config.llm_tasks.dir}/results/${text.id}.json`,
        content: JSON.stringify({
          schema_version: 1,
          id: text.id,
          task: text.task,
          completed_at: "2026-01-31T10:00:00.000Z",
          content: "notes",
        }),
        message: "answer by hand",
      });
      const report = await syncTasks(w.forge, localSource(w.queue), config);
      expect(report.closed).toEqual([{ id: text.id, issue: textIssue }]);
      expect((await w.forge.getIssue(textIssue)).state).toBe("closed");
      expect((await w.forge.listComments(textIssue)).at(-1)!.body).toContain("so this task is answered");
    });
  });

  describe("refusals: a reply says why, nothing is written, the issue stays open", () => {
    async function expectRefused(
      w: World,
      issue: number,
      event: CompleteEvent,
      reply: RegExp,
    ): Promise<void> {
      const refs = await w.sandbox.refs(w.repo);
      const outcome = await completeFromComment(w.forge, config, event);
      expect(outcome.kind).toBe("refused");
      const last = (await w.forge.listComments(issue)).at(-1)!;
      expect(last.author.login).toBe("handoff-app");
      expect(last.body).toMatch(reply);
      expect(last.body).toContain("Nothing was written");
      expect(await w.sandbox.refs(w.repo)).toBe(refs);
      expect((await w.forge.getIssue(issue)).state).toBe("open");
    }

    it("a triage or read user", async () => {
      await withWorld(async (w) => {
        const { textIssue } = await pendingAndSynced(w);
        for (const login of ["tracy", "rita", "stranger"]) {
          const event = await comment(w, login, textIssue, "/complete the answer");
          await expectRefused(
            w,
            textIssue,
            event,
            /your permission on this repository is `(triage|read|none)`/,
          );
        }
      });
    });

    it("an answer that breaks the schema lists each error with its JSON path", async () => {
      await withWorld(async (w) => {
        const { kindIssue } = await pendingAndSynced(w);
        const event = await comment(
          w,
          "alice",
          kindIssue,
          '/complete\n```json\n{"kind": 3, "extra": true}\n```',
        );
        await expectRefused(w, kindIssue, event, /does not satisfy the task's response format/);
        const body = (await w.forge.listComments(kindIssue)).at(-1)!.body;
        expect(body).toContain("- `$: must NOT have additional properties`");
        expect(body).toContain("- `$.kind: must be string`");
        const notJson = await comment(w, "alice", kindIssue, "/complete feature");
        await expectRefused(w, kindIssue, notJson, /content is not JSON/);
      });
    });

    it("a task already completed keeps its first result", async () => {
      await withWorld(async (w) => {
        const { text, textIssue } = await pendingAndSynced(w);
        const first = await comment(w, "alice", textIssue, "/complete first");
        expect((await completeFromComment(w.forge, config, first)).kind).toBe("completed");
        await w.forge.updateIssue(textIssue, { state: "open" });
        const second = await comment(w, "alice", textIssue, "/complete second");
        await expectRefused(w, textIssue, second, /already completed by alice/);
        const stored = await w.forge.readFile(`${config.llm_tasks.dir}/results/${text.id}.json`, BRANCH);
        expect(JSON.parse(stored!.content).content).toBe("first");
      });
    });
  });

  it("ignores bots and plain comments without a reply, and a redelivered comment has no second effect", async () => {
    await withWorld(async (w) => {
      const { textIssue } = await pendingAndSynced(w);
      const count = async () => (await w.forge.listComments(textIssue)).length;
      const bot = await comment(w, "handoff-app[bot]", textIssue, "/complete from a bot");
      expect(await completeFromComment(w.forge, config, bot)).toEqual({
        kind: "ignored",
        reason: "handoff-app[bot] is a bot",
      });
      const plain = await comment(w, "alice", textIssue, "I will answer this tomorrow");
      expect((await completeFromComment(w.forge, config, plain)).kind).toBe("ignored");
      const n = await count();

      const event = await comment(w, "alice", textIssue, "/complete the notes");
      expect((await completeFromComment(w.forge, config, event)).kind).toBe("completed");
      const refs = await w.sandbox.refs(w.repo);
      expect(await completeFromComment(w.forge, config, event)).toEqual({ kind: "duplicate" });
      expect(await w.sandbox.refs(w.repo)).toBe(refs);
      expect(await count()).toBe(n + 2); // the /complete and its one reply
    });
  });

  it("a marker quoted in a message does not make the issue answer another task", async () => {
    await withWorld(async (w) => {
      const other = makePending("other", "x", { cwd: w.repo });
      const tricky = makePending("tricky", `see ${taskMarker(other.id)}`, { cwd: w.repo });
      await w.queue.writePendingIfAbsent(tricky);
      await pushQueue(w.forge, w.queue, config.llm_tasks);
      const { created } = await syncTasks(w.forge, localSource(w.queue), config);
      expect(taskIdOfBody((await w.forge.getIssue(created[0]!.issue)).body)).toBe(tricky.id);
      const text = await readFile(w.queue.pendingPath(tricky.id), "utf8");
      expect(text).toContain(other.id);
    });
  });
});
