/** The dashboard on the local forge: one issue, rewritten in place, reopened rather than duplicated. */
import { describe, expect, it } from "vitest";
import { LocalForge } from "../../src/forge/index.js";
import { defaultAgentRunsConfig } from "../../src/flows/agent-runs/config.js";
import { refreshDashboard } from "../../src/flows/dashboard/dashboard.js";
import { withGitSandbox } from "../helpers/git.js";

describe("dashboard on the local forge", () => {
  it("lists tasks, running agents, PRs and rollbacks in one issue updated in place", () =>
    withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const forge = await LocalForge.open(repo, { actor: "handoff" });
      const config = defaultAgentRunsConfig({ dashboard: true });
      expect(await refreshDashboard(forge, defaultAgentRunsConfig())).toBeNull();
      expect(await forge.listIssues()).toEqual([]);

      await forge.createIssue({ title: "Answer <me>", body: "", labels: ["handoff:llm-task"] });
      await forge.createIssue({ title: "Fix login", body: "", labels: ["agent:shell", "handoff:running"] });
      await sb.git(repo, "branch", "handoff/issue-2-fix-login");
      await forge.createPullRequest({
        head: "handoff/issue-2-fix-login",
        base: "main",
        title: "Fix login",
        body: "",
      });
      await forge.dispatchWorkflow({
        workflow: "handoff-rollback.yml",
        ref: "main",
        inputs: { issue: "2", strategy: "reset" },
      });

      const first = await refreshDashboard(forge, config);
      expect(first).toMatchObject({ created: true, changed: true });
      const body = (await forge.getIssue(first!.issue)).body;
      expect(body).toContain("### Pending LLM tasks (1)");
      expect(body).toContain("Answer &lt;me&gt;");
      expect(body).toMatch(/### Running agents \(1\)\n\n- \[#2\]\(.*\) Fix login — `agent:shell`/);
      expect(body).toContain("### Pull requests awaiting review (1)");
      expect(body).toContain("`handoff/issue-2-fix-login`");
      expect(body).toMatch(/### Recent rollbacks \(1\)\n\n- \[handoff-rollback #2\]\(file:.*\) — queued/);

      expect(await refreshDashboard(forge, config)).toEqual({
        issue: first!.issue,
        created: false,
        changed: false,
      });
      await forge.removeLabel(2, "handoff:running");
      expect(await refreshDashboard(forge, config)).toMatchObject({ issue: first!.issue, changed: true });
      expect((await forge.getIssue(first!.issue)).body).toContain("### Running agents (0)");

      await forge.closeIssue(first!.issue);
      expect(await refreshDashboard(forge, config)).toMatchObject({ issue: first!.issue, created: false });
      const dashboards = (await forge.listIssues({ state: "all" })).filter((i) =>
        i.labels.includes("handoff:dashboard"),
      );
      expect(dashboards.map((d) => [d.number, d.state])).toEqual([[first!.issue, "open"]]);
    }));
});
