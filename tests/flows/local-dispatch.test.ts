/**
 * The local forge's dispatcher on bad dispatches: each ends the run record `failure` with a message
 * naming the input at fault, and nothing else changes — no branch, no ref, no comment, no tree change.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { defaultAgentRunsConfig } from "../../src/config/agent-runs.js";
import { localDispatcher } from "../../src/flows/local-dispatch.js";
import { LocalForge } from "../../src/forge/index.js";
import { withGitSandbox } from "../helpers/git.js";

describe("the local dispatcher", () => {
  it("fails a dispatch it cannot run, naming why, and writes nothing", () =>
    withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      await sb.commitFile(repo, "README.md", "# r\n");
      const said: string[] = [];
      const forge = await LocalForge.open(repo, {
        actor: "alice",
        dispatcher: localDispatcher({
          repo,
          handoffCli: "handoff",
          load: async () => defaultAgentRunsConfig(),
          progress: (line) => said.push(line),
        }),
      });
      await forge.createIssue({ title: "One", body: "" });
      const refs = await sb.refs(repo);
      const cases: [string, Record<string, string>, RegExp][] = [
        [
          "pipeline.yml",
          { issue: "1" },
          /runs only Handoff's workflows \(handoff-agent\.yml, handoff-rollback\.yml\), not pipeline\.yml/,
        ],
        [
          "handoff-agent.yml",
          { issue: "x", agent: "shell", reason: "label" },
          /input `issue` must be a positive whole number, got "x"/,
        ],
        ["handoff-agent.yml", { issue: "1", agent: "nobody", reason: "label" }, /nobody/],
        [
          "handoff-rollback.yml",
          { issue: "1", checkpoint: "main~1", strategy: "reset" },
          /input `checkpoint` must be a checkpoint tag/,
        ],
        [
          "handoff-rollback.yml",
          { issue: "1", strategy: "squash" },
          /input `strategy` must be reset or revert, got "squash"/,
        ],
        [
          "handoff-rollback.yml",
          { issue: "1", strategy: "reset" },
          /issue #1 has no handoff\/issue-1… branch/,
        ],
      ];
      for (const [workflow, inputs, message] of cases) {
        await forge.dispatchWorkflow({ workflow, ref: "main", inputs });
        const [run] = await forge.listWorkflowRuns({ limit: 1 });
        expect(run, workflow).toMatchObject({ workflow, status: "completed", conclusion: "failure" });
        const record = JSON.parse(await readFile(new URL(run!.url), "utf8")) as { error?: string };
        expect(record.error).toMatch(message);
        expect(said.at(-1)).toMatch(
          new RegExp(`^handoff: ${workflow.replace(".", "\\.")} run ${run!.id}: failure: `),
        );
      }
      expect(await sb.refs(repo)).toBe(refs);
      expect(await forge.listComments(1)).toEqual([]);
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
    }));
});
