import { describe, expect, it } from "vitest";
import type { AgentDefinition } from "../../src/agents/index.js";
import { Git } from "../../src/git/git.js";
import { parsePlaybook, runPlaybook } from "../../src/playbooks/index.js";
import type { CompletionContext } from "../../src/runs/completion.js";
import { extractJson } from "../../src/runs/completion.js";
import { CompletionJudge } from "../../src/runs/judge.js";
import { withGitSandbox, type GitSandbox } from "../helpers/git.js";
import { writeAgent } from "./fixtures.js";

function behavior(completionType: string, completionConfig: Record<string, unknown>) {
  return { behavior: { systemPromptPath: "prompts/system.md", completionType, completionConfig } };
}

async function context(
  sb: GitSandbox,
  agent: AgentDefinition,
  repo: string,
  resultText?: string,
  playbookOk?: boolean,
): Promise<CompletionContext> {
  const git = new Git(repo);
  return {
    agent,
    worktree: repo,
    git,
    baseSha: await sb.head(repo),
    resultText,
    ...(playbookOk === undefined ? {} : { playbookResult: { ok: playbookOk, steps: [], durationMs: 1 } }),
    runPlaybookFile: async () => ({ ok: true, steps: [], durationMs: 1 }),
    runCommand: async (command, timeout) => {
      const run = await runPlaybook(
        parsePlaybook({ name: "v", steps: [{ name: "v", command, timeout_seconds: timeout ?? 30 }] }, "v"),
        { cwd: repo },
      );
      return { ok: run.ok, detail: run.steps[0]?.outputTail ?? "" };
    },
  };
}

describe("completion types", () => {
  it("keywordSignal and structuredSignal read the agent's final message", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const kw = await writeAgent(
        sb.root,
        "kw",
        behavior("keywordSignal", { completionKeyword: "ALL-DONE" }),
      );
      const judge = new CompletionJudge(kw);
      expect(judge.hint()).toContain("ALL-DONE");
      expect((await judge.judge(await context(sb, kw, repo, "working on it"), 1, 5)).done).toBe(false);
      expect((await judge.judge(await context(sb, kw, repo, "ok ALL-DONE"), 2, 5)).done).toBe(true);

      const schema = { type: "object", required: ["status"], properties: { status: { const: "complete" } } };
      const st = await writeAgent(sb.root, "st", behavior("structuredSignal", { outputSchema: schema }));
      const sj = new CompletionJudge(st);
      const bad = await sj.judge(
        await context(sb, st, repo, 'Here:\n```json\n{"status":"partial"}\n```'),
        1,
        5,
      );
      expect(bad.done).toBe(false);
      expect(bad.results[0]?.detail).toContain("schema violations: /status must be equal to constant");
      const none = await sj.judge(await context(sb, st, repo, "no json"), 1, 5);
      expect(none.results[0]?.detail).toBe("no JSON found in the answer");
      const good = await sj.judge(
        await context(sb, st, repo, 'Done.\n```json\n{"status":"complete"}\n```'),
        2,
        5,
      );
      expect(good.done).toBe(true);
      expect(extractJson('{"a":1}')).toEqual({ a: 1 });
    });
  });

  it("externalState and composite any|all evaluate validators in the worktree", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("r", { files: { "a.txt": "a" } });
      const conditions = [
        { validator: "file-exists", args: { path: "a.txt" } },
        { validator: "file-exists", args: { path: "missing.txt" } },
        { validator: "command-succeeds", args: { command: ["node", "-e", "process.exit(0)"] } },
      ];
      const all = await writeAgent(
        sb.root,
        "all",
        behavior("composite", { completionConditions: conditions, mode: "all" }),
      );
      const verdictAll = await new CompletionJudge(all).judge(await context(sb, all, repo), 1, 3);
      expect(verdictAll.done).toBe(false);
      expect(verdictAll.results.map((r) => r.passed)).toEqual([true, false, true]);
      expect(verdictAll.results[1]?.detail).toBe("missing.txt does not exist");
      const any = await writeAgent(
        sb.root,
        "any",
        behavior("composite", { completionConditions: conditions, mode: "any" }),
      );
      expect((await new CompletionJudge(any).judge(await context(sb, any, repo), 1, 3)).done).toBe(true);

      const ext = await writeAgent(
        sb.root,
        "ext",
        behavior("externalState", {
          validators: [{ validator: "git-clean" }, { validator: "commits-ahead", args: { min: 1 } }],
        }),
      );
      const ctx = await context(sb, ext, repo);
      const first = await new CompletionJudge(ext).judge(ctx, 1, 3);
      expect(first.results.map((r) => r.detail)).toEqual([
        "the worktree is clean",
        "0 commit(s) ahead of the base (need 1)",
      ]);
      await sb.writeFile(repo, "b.txt", "b");
      const dirty = await new CompletionJudge(ext).judge(ctx, 2, 3);
      expect(dirty.results[0]).toMatchObject({ passed: false, detail: "uncommitted changes: b.txt" });
      await sb.commitFiles(repo, { "b.txt": "b" });
      expect((await new CompletionJudge(ext).judge(ctx, 3, 3)).done).toBe(true);
    });
  });

  it("stepMachine walks the registry, retries up to maxAttempts, and abort ends at once", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const registry = {
        steps: {
          "work.write": {
            completionConditions: [{ validator: "file-exists", args: { path: "w.txt" } }],
            onFailure: { action: "retry", maxAttempts: 2 },
            next: "work.check",
          },
          "work.check": {
            completionConditions: [{ validator: "file-exists", args: { path: "c.txt" } }],
            onFailure: { action: "abort" },
          },
        },
      };
      const agent = await writeAgent(
        sb.root,
        "steps",
        behavior("stepMachine", { initialStep: "work.write" }),
        {
          "steps_registry.json": JSON.stringify(registry),
          "prompts/steps/work/write.md": "Write w.txt.\n",
        },
      );
      const judge = new CompletionJudge(agent);
      expect(judge.currentStep).toBe("work.write");
      expect(await judge.stepPrompt()).toContain("Write w.txt.");
      const ctx = await context(sb, agent, repo);
      const retry = await judge.judge(ctx, 1, 9);
      expect(retry).toMatchObject({ done: false });
      expect(retry.exhausted).toBeUndefined();
      expect(retry.results[0]?.detail).toBe("[work.write] w.txt does not exist");
      const spent = await judge.judge(ctx, 2, 9);
      expect(spent.exhausted).toBe("step work.write failed 2 of 2 attempts");

      const walker = new CompletionJudge(agent);
      await sb.writeFile(repo, "w.txt", "w");
      expect((await walker.judge(ctx, 1, 9)).done).toBe(false);
      expect(walker.currentStep).toBe("work.check");
      const aborted = await walker.judge(ctx, 2, 9);
      expect(aborted.exhausted).toBe("step work.check failed and its onFailure is abort");
      await sb.writeFile(repo, "c.txt", "c");
      const finisher = new CompletionJudge(agent);
      expect((await finisher.judge(ctx, 1, 9)).done).toBe(false);
      expect((await finisher.judge(ctx, 2, 9)).done).toBe(true);
    });
  });

  it("checkBudget, iterationBudget and custom handlers", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo();
      const checks = await writeAgent(sb.root, "checks", behavior("checkBudget", { maxChecks: 2 }));
      const cj = new CompletionJudge(checks);
      expect((await cj.judge(await context(sb, checks, repo, "", false), 1, 9)).exhausted).toBeUndefined();
      expect((await cj.judge(await context(sb, checks, repo, "", false), 2, 9)).exhausted).toBe(
        "check budget spent: 2 of 2 checks failed",
      );
      expect(
        (await new CompletionJudge(checks).judge(await context(sb, checks, repo, "", true), 1, 9)).done,
      ).toBe(true);

      const iter = await writeAgent(sb.root, "iter", behavior("iterationBudget", { maxIterations: 2 }));
      const ij = new CompletionJudge(iter);
      expect((await ij.judge(await context(sb, iter, repo), 1, 9)).done).toBe(false);
      expect((await ij.judge(await context(sb, iter, repo), 2, 9)).done).toBe(true);

      const custom = await writeAgent(
        sb.root,
        "custom",
        behavior("custom", { completionHandler: "done.mjs" }),
        {
          "done.mjs":
            "export default ({ resultText, iteration }) => ({ done: resultText === 'ship it' && iteration > 1, detail: 'asked ' + iteration });\n",
        },
      );
      const cu = new CompletionJudge(custom);
      const no = await cu.judge(await context(sb, custom, repo, "ship it"), 1, 9);
      expect(no).toMatchObject({ done: false, results: [{ validator: "custom", detail: "asked 1" }] });
      expect((await cu.judge(await context(sb, custom, repo, "ship it"), 2, 9)).done).toBe(true);
    });
  });
});
