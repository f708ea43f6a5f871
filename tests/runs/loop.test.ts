import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runJob } from "../../src/runs/loop.js";
import { CLI } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";
import { TEST_POLICY } from "./cli-fixtures.js";
import { job, nodeAgent, writeAgent, writePlaybook } from "./fixtures.js";

const WRITE_HELLO = "require('fs').writeFileSync('hello.txt','hello\\n'); console.log('wrote hello')";

async function ledger(file: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("runJob", () => {
  it("done: the agent's change is committed and checkpointed on the issue branch", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo", { files: { "README.md": "# r\n" } });
      const agent = await writeAgent(sb.root, "writer", {
        runtime: nodeAgent(WRITE_HELLO),
        behavior: {
          systemPromptPath: "prompts/system.md",
          completionType: "externalState",
          completionConfig: {
            maxIterations: 3,
            validators: [
              { validator: "file-exists", args: { path: "hello.txt" } },
              { validator: "tests-pass" },
              { validator: "git-clean" },
            ],
          },
        },
      });
      const playbook = await writePlaybook(
        join(sb.root, "pb.yml"),
        "process.exit(require('fs').existsSync('hello.txt')?0:1)",
      );
      // The shipped default policy refuses `node -e`; this repository allows its own test scripts.
      const policy = join(sb.root, "policy.yml");
      await writeFile(policy, TEST_POLICY);
      const outcome = await runJob({ repo, agent, job: job(), playbook, policy, handoffCli: CLI });
      expect(outcome.message).toBe("complete after 1 iteration(s)");
      expect(outcome.endReason).toBe("done");
      expect(outcome.exitCode).toBe(0);
      expect(outcome.branch).toBe("handoff/issue-4-add-the-greeting");
      expect(await readFile(join(outcome.worktree!, "hello.txt"), "utf8")).toBe("hello\n");
      const log = await sb.git(repo, "log", "--format=%an|%s%n%b", "-1", outcome.branch!);
      expect(log).toContain("writer (Handoff agent)|writer: iteration 1 on #4");
      expect(log).toContain("Refs #4");
      const tags = (await sb.git(repo, "tag", "--list", "handoff/checkpoint/4/*")).split("\n");
      expect(tags).toEqual(["handoff/checkpoint/4/1", "handoff/checkpoint/4/2"]);
      expect(await sb.git(repo, "rev-list", "-n1", "handoff/checkpoint/4/2")).toBe(outcome.commits[0]);
      expect(await sb.git(repo, "tag", "-l", "--format=%(contents)", "handoff/checkpoint/4/2")).toContain(
        "Handoff-End-Reason: done",
      );
      // The base checkpoint is the commit before the first change.
      expect(await sb.git(repo, "rev-list", "-n1", "handoff/checkpoint/4/1")).toBe(
        await sb.head(repo, "main"),
      );
      const events = await ledger(outcome.ledgerFile!);
      expect(events.map((e) => e.kind)).toEqual([
        "run_started",
        "checkpoint",
        "prompt_built",
        "tool_call", // the policy's decision on the command runtime itself
        "agent_turn",
        "step_result",
        "commit",
        "checkpoint",
        "run_ended",
      ]);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(events.find((e) => e.kind === "tool_call")).toMatchObject({
        tool: "runtime",
        decision: { allowed: true, rule: "allow[0]" },
      });
      expect(events.find((e) => e.kind === "run_ended")).toMatchObject({ end_reason: "done", exit_code: 0 });
      expect(outcome.summary).toMatchObject({ end_reason: "done", done: true, step: 1, denied_count: 0 });
      const step = JSON.parse(await readFile(join(outcome.evidenceDir!, "step_001.json"), "utf8")) as Record<
        string,
        unknown
      >;
      expect(step).toMatchObject({
        step: 1,
        phase: "done",
        playbook: [{ name: "check", status: "passed", exit_code: 0 }],
        checkpoint: "handoff/checkpoint/4/2",
        commits: [outcome.commits[0]],
      });
      expect((step.conditions as Array<{ passed: boolean }>).every((c) => c.passed)).toBe(true);
      // Handoff's state stays out of the user's tree.
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
    });
  });
});
