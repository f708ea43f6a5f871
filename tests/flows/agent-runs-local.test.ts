/**
 * The agent-run flows on the local forge with real git: a label starts a run whose status goes
 * queued → running → final; refusals answer and write nothing else; reviews, commands and workflow
 * runs move the same sticky status comment. The dispatcher stands in for the workflow's work here
 * (tests/cli covers the runner behind it); the forge's onWorkflowRun plays GitHub's workflow_run hook.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type LocalDispatch, LocalForge } from "../../src/forge/index.js";
import { defaultAgentRunsConfig } from "../../src/config/agent-runs.js";
import { handleCommand } from "../../src/flows/agent-runs/commands.js";
import { startFromLabel } from "../../src/flows/agent-runs/label.js";
import { rerunFromReview } from "../../src/flows/agent-runs/review.js";
import { parseStatus, statusMarker } from "../../src/flows/agent-runs/status.js";
import { onWorkflowRun } from "../../src/flows/agent-runs/workflow-run.js";
import { type GitSandbox, withGitSandbox } from "../helpers/git.js";

const config = defaultAgentRunsConfig();
const wanda = { login: "wanda", type: "User" };
const tia = { login: "tia", type: "User" };
const reed = { login: "reed", type: "User" };

interface World {
  repo: string;
  forge: LocalForge;
  dispatched: LocalDispatch[];
}

/**
 * A repository with a local forge: `wanda` may write, `tia` may triage, `reed` may read. `work` is
 * the dispatched workflow's work (default: post evidence naming a PR, then succeed).
 */
async function world(
  sb: GitSandbox,
  options: { files?: Record<string, string>; work?: ((d: LocalDispatch) => Promise<void>) | null } = {},
): Promise<World> {
  const repo = await sb.createRepo("repo", { files: { "README.md": "# r\n", ...options.files } });
  const dispatched: LocalDispatch[] = [];
  const work =
    options.work === undefined
      ? async (d: LocalDispatch) => {
          const issue = Number(d.inputs.issue);
          await d.forge.createComment(
            issue,
            `<!-- handoff:evidence issue=${issue} -->\nPR: https://forge.example/o/r/pull/9`,
          );
        }
      : options.work;
  const forge: LocalForge = await LocalForge.open(repo, {
    actor: "handoff",
    ...(work
      ? {
          dispatcher: async (d) => {
            dispatched.push(d);
            await work(d);
          },
        }
      : {}),
    onWorkflowRun: async (action, run) => {
      await onWorkflowRun(forge, config, { action, run });
    },
  });
  if (!work) {
    // Without a dispatcher the forge only records the dispatch; record it here the same way.
    const record = forge.dispatchWorkflow.bind(forge);
    forge.dispatchWorkflow = async (input) => {
      dispatched.push({ ...input, runId: 0, forge });
      await record(input);
    };
  }
  await forge.setPermission("wanda", "write");
  await forge.setPermission("tia", "triage");
  await forge.setPermission("reed", "read");
  return { repo, forge, dispatched };
}

async function status(forge: LocalForge, issue: number) {
  const found = (await forge.listComments(issue)).filter((c) => c.body.includes(statusMarker(issue)));
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0] ? parseStatus(found[0].body) : null;
}

async function labelled(forge: LocalForge, issue: number, label: string) {
  await forge.addLabels(issue, [label]);
}

describe("agent runs on the local forge", () => {
  it("starts a shipped agent from a label and ends the status in its final state", () =>
    withGitSandbox(async (sb) => {
      const { forge, dispatched } = await world(sb);
      const issue = await forge.createIssue({ title: "Fix it", body: "Please" });
      await labelled(forge, issue.number, "agent:shell");
      const outcome = await startFromLabel(forge, config, {
        issue: { number: issue.number, comments: 0 },
        label: "agent:shell",
        sender: wanda,
        delivery: "d-1",
      });
      expect(outcome.kind).toBe("started");
      expect(dispatched.map((d) => [d.workflow, d.ref, d.inputs])).toEqual([
        ["handoff-agent.yml", "main", { issue: "1", agent: "shell", reason: "label" }],
      ]);
      const final = await status(forge, issue.number);
      expect(final).toMatchObject({
        state: "success",
        agent: "shell",
        reason: "label",
        requestedBy: "wanda",
        prUrl: "https://forge.example/o/r/pull/9",
      });
      expect(final?.runId).toBe(dispatched[0]?.runId);
      expect(final?.evidenceUrl).toMatch(/#comment-\d+$/);
      expect((await forge.getIssue(issue.number)).labels).toEqual(["agent:shell"]);
      const comments = await forge.listComments(issue.number);
      expect(comments.find((c) => c.body.includes(statusMarker(1)))?.body).toContain("succeeded");
    }));

  it("ends a run whose work failed before posting evidence in a failed status that says so", () =>
    withGitSandbox(async (sb) => {
      const { forge } = await world(sb, {
        work: async () => {
          throw new Error("runner crashed");
        },
      });
      await forge.createIssue({ title: "t", body: "b" });
      await startFromLabel(forge, config, { issue: { number: 1 }, label: "agent:shell", sender: wanda });
      expect(await status(forge, 1)).toMatchObject({
        state: "failure",
        evidenceUrl: null,
        // The local forge knows why the work failed, so the status says that too.
        detail: "the run failed: runner crashed; it posted no evidence (its log is behind the run link)",
      });
      expect((await forge.getIssue(1)).labels).not.toContain("handoff:running");
    }));

  it("refuses a triage user's label: one reply, the label removed, nothing dispatched", () =>
    withGitSandbox(async (sb) => {
      const { forge, dispatched } = await world(sb);
      await forge.createIssue({ title: "t", body: "b" });
      await labelled(forge, 1, "agent:shell");
      const outcome = await startFromLabel(forge, config, {
        issue: { number: 1 },
        label: "agent:shell",
        sender: tia,
      });
      expect(outcome).toMatchObject({ kind: "refused" });
      const comments = await forge.listComments(1);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body).toContain(
        "@tia needs write permission on this repository to do that (has triage)",
      );
      expect((await forge.getIssue(1)).labels).toEqual([]);
      expect(dispatched).toEqual([]);
      expect(await forge.listWorkflowRuns()).toEqual([]);
    }));

  it("refuses an unknown agent, listing the agents there are", () =>
    withGitSandbox(async (sb) => {
      const { forge, dispatched } = await world(sb);
      await forge.createIssue({ title: "t", body: "b" });
      await labelled(forge, 1, "agent:nope");
      await startFromLabel(forge, config, { issue: { number: 1 }, label: "agent:nope", sender: wanda });
      const [reply] = await forge.listComments(1);
      expect(reply?.body).toMatch(/unknown agent "nope".*known agents: .*shell/);
      expect((await forge.getIssue(1)).labels).toEqual([]);
      expect(dispatched).toEqual([]);
    }));

  it("validates the repository's own agent at the default branch and reports every problem with its file", () =>
    withGitSandbox(async (sb) => {
      const shell = await readFile(join("agents", "shell", "agent.json"), "utf8");
      const { forge, dispatched, repo } = await world(sb, {
        files: {
          "agents/broken/agent.json": JSON.stringify({ name: "wrong", behavior: { completionType: "nope" } }),
          "agents/mine/agent.json": shell.replace('"name": "shell"', '"name": "mine"'),
          "agents/mine/prompts/system.md": "You are mine.\n",
          "agents/mine/steps_registry.json": await readFile(
            join("agents", "shell", "steps_registry.json"),
            "utf8",
          ),
        },
      });
      // A fix on another branch does not count: the default branch is what the workflow loads.
      await sb.git(repo, "checkout", "-q", "-b", "side");
      await sb.commitFile(
        repo,
        "agents/broken/agent.json",
        shell.replace('"name": "shell"', '"name": "broken"'),
      );
      await sb.git(repo, "checkout", "-q", "main");
      await forge.createIssue({ title: "t", body: "b" });
      await startFromLabel(forge, config, { issue: { number: 1 }, label: "agent:broken", sender: wanda });
      const [reply] = await forge.listComments(1);
      expect(reply?.body).toContain('agent "broken" (agents/broken/) is invalid');
      expect(reply?.body).toContain("agents/broken/agent.json: $.name:");
      expect(reply?.body).not.toContain("handoff-agent-");
      expect(dispatched).toEqual([]);

      await forge.createIssue({ title: "t2", body: "b" });
      const ok = await startFromLabel(forge, config, {
        issue: { number: 2 },
        label: "agent:mine",
        sender: wanda,
      });
      expect(ok.kind).toBe("started");
      expect(dispatched.map((d) => d.inputs.agent)).toEqual(["mine"]);
    }));

  it("does not start a second concurrent run, and a redelivered label has no second effect", () =>
    withGitSandbox(async (sb) => {
      const { forge, dispatched } = await world(sb, { work: null });
      await forge.createIssue({ title: "t", body: "b" });
      const event = { issue: { number: 1 }, label: "agent:shell", sender: wanda, delivery: "d-1" };
      expect((await startFromLabel(forge, config, event)).kind).toBe("started");
      expect(await status(forge, 1)).toMatchObject({ state: "queued" });
      expect((await forge.getIssue(1)).labels).toContain("handoff:running");
      const before = await forge.listComments(1);
      expect((await startFromLabel(forge, config, event)).kind).toBe("redelivered");
      expect(await forge.listComments(1)).toEqual(before);

      await labelled(forge, 1, "agent:codex");
      const second = await startFromLabel(forge, config, { ...event, label: "agent:codex", delivery: "d-2" });
      expect(second).toMatchObject({ kind: "refused" });
      expect(dispatched).toHaveLength(1);
      const comments = await forge.listComments(1);
      expect(comments).toHaveLength(2);
      expect(comments[1]?.body).toContain("a run of `shell` is already queued on this issue");
      expect((await forge.getIssue(1)).labels).not.toContain("agent:codex");
    }));

  it("re-runs the agent on changes requested to its PR, and ignores approvals and other branches", () =>
    withGitSandbox(async (sb) => {
      const { forge, dispatched, repo } = await world(sb);
      await forge.createIssue({ title: "t", body: "b" });
      await startFromLabel(forge, config, { issue: { number: 1 }, label: "agent:shell", sender: wanda });
      await sb.git(repo, "branch", "handoff/issue-1-t");
      const pr = await forge.createPullRequest({
        head: "handoff/issue-1-t",
        base: "main",
        title: "t",
        body: "Closes #1",
      });
      const review = (state: string, sender = wanda) => ({
        pull: { number: pr.number, head: pr.head, url: pr.url },
        review: { id: 77, state },
        sender,
      });
      expect((await rerunFromReview(forge, config, review("approved"))).kind).toBe("ignored");
      expect((await rerunFromReview(forge, config, review("commented"))).kind).toBe("ignored");
      const started = await rerunFromReview(forge, config, review("changes_requested"));
      expect(started.kind).toBe("started");
      expect(dispatched.map((d) => d.inputs)).toEqual([
        { issue: "1", agent: "shell", reason: "label" },
        { issue: "1", agent: "shell", reason: "review", "review-id": "77" },
      ]);
      expect(await status(forge, 1)).toMatchObject({ state: "success", reason: "review", reviewId: 77 });

      await sb.git(repo, "branch", "feature/x");
      const other = await forge.createPullRequest({ head: "feature/x", base: "main", title: "x", body: "" });
      const ignored = await rerunFromReview(forge, config, {
        ...review("changes_requested"),
        pull: { number: other.number, head: "feature/x", url: other.url },
      });
      expect(ignored.kind).toBe("ignored");
      expect(dispatched).toHaveLength(2);
    }));

  it("refuses a review by a user without the permission on the PR, dispatching nothing", () =>
    withGitSandbox(async (sb) => {
      const { forge, dispatched, repo } = await world(sb);
      await forge.createIssue({ title: "t", body: "b" });
      await sb.git(repo, "branch", "handoff/issue-1");
      const pr = await forge.createPullRequest({
        head: "handoff/issue-1",
        base: "main",
        title: "t",
        body: "",
      });
      const outcome = await rerunFromReview(forge, config, {
        pull: { number: pr.number, head: pr.head, url: pr.url },
        review: { id: 5, state: "CHANGES_REQUESTED" },
        sender: tia,
      });
      expect(outcome.kind).toBe("refused");
      expect((await forge.listComments(pr.number))[0]?.body).toContain("@tia needs write permission");
      expect(await forge.listComments(1)).toEqual([]);
      expect(dispatched).toEqual([]);
    }));

  it("answers commands: rollback, retry, status, stop, help, and refuses a read user and ignores a bot", () =>
    withGitSandbox(async (sb) => {
      const { forge, dispatched } = await world(sb);
      await forge.createIssue({ title: "t", body: "b" });
      const comment = async (body: string, sender = wanda) => {
        const c = await forge.as(sender.login).createComment(1, body);
        return handleCommand(forge, config, {
          issue: { number: 1, isPullRequest: false },
          comment: { id: c.id, body },
          sender,
        });
      };

      expect(await comment("/retry")).toMatchObject({
        kind: "refused",
        reason: "#1 has had no agent run to retry.",
      });
      await startFromLabel(forge, config, { issue: { number: 1 }, label: "agent:shell", sender: wanda });

      const rollback = await comment("/rollback handoff/checkpoint/1/2 --strategy revert\nplease");
      expect(rollback).toMatchObject({ kind: "accepted", command: "rollback" });
      expect(dispatched.at(-1)).toMatchObject({
        workflow: "handoff-rollback.yml",
        ref: "main",
        inputs: { issue: "1", checkpoint: "handoff/checkpoint/1/2", strategy: "revert" },
      });
      expect((await forge.store.readIssue(1))?.reactions).toContainEqual({
        commentId: (await forge.listComments(1)).find((c) => c.body.startsWith("/rollback handoff"))?.id,
        content: "+1",
        user: "handoff",
      });

      expect(await comment("/retry")).toMatchObject({ kind: "accepted" });
      expect(dispatched.at(-1)?.inputs).toEqual({ issue: "1", agent: "shell", reason: "retry" });
      expect(await status(forge, 1)).toMatchObject({ state: "success", reason: "retry" });
      expect(await comment("/status")).toMatchObject({ kind: "accepted", command: "status" });
      expect(await comment("/stop")).toMatchObject({
        kind: "refused",
        reason: "no agent run is active on #1.",
      });

      const count = dispatched.length;
      const before = (await forge.listComments(1)).length;
      const denied = await comment("/rollback", reed);
      expect(denied).toMatchObject({ kind: "refused", command: "rollback" });
      const after = await forge.listComments(1);
      expect(after).toHaveLength(before + 2); // reed's comment and the one reply
      expect(after.at(-1)?.body).toContain("@reed `/rollback` refused: @reed needs write permission");
      expect(dispatched).toHaveLength(count);

      const bot = await comment("/rollback", { login: "renovate[bot]", type: "Bot" });
      expect(bot.kind).toBe("ignored");
      expect(await forge.listComments(1)).toHaveLength(before + 3);

      const help = await comment("/frobnicate now");
      expect(help).toEqual({ kind: "help", word: "frobnicate" });
      expect((await forge.listComments(1)).at(-1)?.body).toContain("`/frobnicate` is not a Handoff command");
      expect(await comment("/rollback a b")).toMatchObject({
        kind: "refused",
        reason: "one checkpoint at most (got a and b)",
      });
      expect(await comment("/complete\n```\n{}\n```")).toMatchObject({ kind: "ignored" });
      expect(await comment("thanks /retry")).toMatchObject({ kind: "ignored" });
      expect(dispatched).toHaveLength(count);
    }));

  it("/stop cancels the issue's queued run and the status ends cancelled", () =>
    withGitSandbox(async (sb) => {
      const { forge } = await world(sb, { work: null });
      await forge.createIssue({ title: "t", body: "b" });
      await startFromLabel(forge, config, { issue: { number: 1 }, label: "agent:shell", sender: wanda });
      const c = await forge.as("wanda").createComment(1, "/stop");
      const outcome = await handleCommand(forge, config, {
        issue: { number: 1, isPullRequest: false },
        comment: { id: c.id, body: "/stop" },
        sender: wanda,
      });
      expect(outcome).toMatchObject({ kind: "accepted", command: "stop" });
      expect((await forge.listWorkflowRuns())[0]).toMatchObject({
        status: "completed",
        conclusion: "cancelled",
      });
      expect(await status(forge, 1)).toMatchObject({ state: "cancelled" });
      expect((await forge.getIssue(1)).labels).not.toContain("handoff:running");
    }));

  it("/rollback on a Handoff PR rolls back its branch; on another PR it is refused", () =>
    withGitSandbox(async (sb) => {
      const { forge, dispatched, repo } = await world(sb);
      await forge.createIssue({ title: "t", body: "b" });
      await sb.git(repo, "branch", "handoff/issue-1-t");
      await sb.git(repo, "branch", "feature/y");
      const pr = await forge.createPullRequest({
        head: "handoff/issue-1-t",
        base: "main",
        title: "t",
        body: "",
      });
      const other = await forge.createPullRequest({ head: "feature/y", base: "main", title: "y", body: "" });
      const on = async (number: number) => {
        const c = await forge.as("wanda").createComment(number, "/rollback");
        return handleCommand(forge, config, {
          issue: { number, isPullRequest: true },
          comment: { id: c.id, body: "/rollback" },
          sender: wanda,
        });
      };
      expect(await on(pr.number)).toMatchObject({ kind: "accepted" });
      expect(dispatched.at(-1)?.inputs).toEqual({ branch: "handoff/issue-1-t", strategy: "reset" });
      expect(await on(other.number)).toMatchObject({
        kind: "refused",
        reason: `#${other.number} is not a Handoff pull request (head feature/y).`,
      });
      expect(dispatched).toHaveLength(1);
    }));
});
