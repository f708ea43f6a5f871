/**
 * Offline, the same handlers: `handoff issue label N agent:<name>` and `handoff issue comment N --body
 * /stop` on the local forge run the flows the app runs on the webhook, through the built CLI.
 */
import { describe, expect, it } from "vitest";
import { LocalForge } from "../../src/forge/index.js";
import { parseStatus, statusMarker } from "../../src/flows/agent-runs/status.js";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";

describe("handoff issue label|comment start and drive agents on the local forge", () => {
  it("starts the agent from a label, refuses a triage user's, and /stop cancels the run", () =>
    withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo");
      const env = { HANDOFF_USER: "alice" };
      await runCli(["issue", "create", "--title", "Fix it"], { cwd: repo, env });
      const label = await runCli(["issue", "label", "1", "agent:shell"], { cwd: repo, env });
      expect(label).toMatchObject({ code: 0 });
      expect(label.stdout).toBe(
        "agent:shell: dispatched the agent workflow for #1 (status queued)\n#1: agent:shell, handoff:running\n",
      );
      const forge = await LocalForge.open(repo);
      const [run] = await forge.listWorkflowRuns();
      expect(run).toMatchObject({
        workflow: "handoff-agent.yml",
        displayTitle: "handoff-agent #1 shell (label)",
      });
      const status = (await forge.listComments(1)).find((c) => c.body.includes(statusMarker(1)));
      expect(parseStatus(status?.body ?? "")).toMatchObject({ state: "queued", requestedBy: "alice" });

      await forge.setPermission("tia", "triage");
      await runCli(["issue", "create", "--title", "Other"], { cwd: repo, env });
      const refused = await runCli(["issue", "label", "2", "agent:shell", "--as", "tia"], { cwd: repo, env });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain("agent:shell: refused: @tia needs write permission");
      expect(refused.stdout).toContain("#2: no labels");

      const stop = await runCli(["issue", "comment", "1", "--body", "/stop"], { cwd: repo, env });
      expect(stop).toMatchObject({ code: 0 });
      expect(stop.stdout).toContain(`/stop: cancelled run ${run!.id}`);
      const after = (await forge.listComments(1)).find((c) => c.body.includes(statusMarker(1)));
      expect(parseStatus(after?.body ?? "")).toMatchObject({ state: "cancelled", runId: run!.id });
      expect((await forge.getIssue(1)).labels).toEqual(["agent:shell"]);
      expect(await sb.git(repo, "status", "--porcelain")).toBe("");
    }));
});
