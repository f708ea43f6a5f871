/**
 * Task graphs on the local forge with real git: task files at the default branch become one issue
 * each, a re-push changes nothing, a task starts only once all its dependencies' issues are closed,
 * and a cycle or an unknown dependency is reported once on the task's issue.
 */
import { describe, expect, it } from "vitest";
import { type LocalDispatch, LocalForge } from "../../src/forge/index.js";
import { defaultAgentRunsConfig } from "../../src/config/agent-runs.js";
import { graphProblems } from "../../src/flows/task-graph/graph.js";
import { syncTaskGraph } from "../../src/flows/task-graph/sync.js";
import { withGitSandbox } from "../helpers/git.js";
import { taskYaml } from "../helpers/task-graph.js";

const config = defaultAgentRunsConfig({ skills: { backend: "shell", docs: "shell" } });

describe("task graphs on the local forge", () => {
  it("opens one issue per task, starts the third only after both dependencies close, and a re-push changes nothing", () =>
    withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo", {
        files: {
          ".handoff/tasks/1.yaml": taskYaml("1.1"),
          ".handoff/tasks/2.yaml": taskYaml("1.2", [], "docs"),
          ".handoff/tasks/3.yaml": taskYaml("1.3", ["1.1", "1.2"]),
          ".handoff/tasks/README.md": "not a task\n",
        },
      });
      const dispatched: LocalDispatch[] = [];
      const forge = await LocalForge.open(repo, {
        actor: "handoff",
        dispatcher: async (d) => void dispatched.push(d),
      });

      const first = await syncTaskGraph(forge, config);
      expect(first.problems).toEqual([]);
      expect(first.created.map((c) => c.taskId)).toEqual(["1.1", "1.2", "1.3"]);
      expect(first.started.map((s) => s.taskId)).toEqual(["1.1", "1.2"]);
      expect(dispatched.map((d) => d.inputs)).toEqual([
        { issue: "1", agent: "shell", reason: "label" },
        { issue: "2", agent: "shell", reason: "label" },
      ]);
      const third = await forge.getIssue(3);
      expect(third.title).toBe("[1.3] Task 1.3");
      expect(third.body).toContain("<!-- handoff:task id=1.3 -->");
      expect(third.body).toContain("- [ ] 1.3 has a test");
      expect(third.body).toContain("- #1 (task `1.1`)\n- #2 (task `1.2`)");
      expect(third.labels).toEqual(["handoff:task"]);
      expect((await forge.getIssue(1)).labels).toContain("agent:shell");

      // A person ticks a box; the re-push neither opens, rewrites nor starts anything.
      await forge.updateIssue(3, {
        body: third.body.replace("- [ ] 1.3 has a test", "- [x] 1.3 has a test"),
      });
      const again = await syncTaskGraph(forge, config);
      expect(again).toEqual({ created: [], updated: [], started: [], problems: [] });
      expect((await forge.listIssues({ state: "all" })).length).toBe(3);

      await forge.closeIssue(1);
      expect((await syncTaskGraph(forge, config)).started).toEqual([]);
      await forge.closeIssue(2);
      const last = await syncTaskGraph(forge, config);
      expect(last.started).toEqual([{ taskId: "1.3", issue: 3, agent: "shell" }]);
      expect(dispatched.at(-1)?.inputs).toEqual({ issue: "3", agent: "shell", reason: "label" });
      expect((await forge.getIssue(3)).body).toContain("- [x] 1.3 has a test");
      expect((await syncTaskGraph(forge, config)).started).toEqual([]);
      expect(dispatched).toHaveLength(3);
    }));

  it("reports a cycle and an unknown dependency once on each task's issue, and starts none of them", () =>
    withGitSandbox(async (sb) => {
      const repo = await sb.createRepo("repo", {
        files: {
          ".handoff/tasks/a.yaml": taskYaml("a", ["b"]),
          ".handoff/tasks/b.yaml": taskYaml("b", ["a"]),
          ".handoff/tasks/c.yaml": taskYaml("c", ["zz"]),
          ".handoff/tasks/bad.yaml": "task_id: x\ntitle: 3\n",
        },
      });
      const dispatched: LocalDispatch[] = [];
      const forge = await LocalForge.open(repo, {
        actor: "handoff",
        dispatcher: async (d) => void dispatched.push(d),
      });
      const report = await syncTaskGraph(forge, config);
      expect(report.created).toHaveLength(3);
      expect(report.started).toEqual([]);
      expect(report.problems.map((p) => p.message)).toEqual([
        expect.stringMatching(/^\.handoff\/tasks\/bad\.yaml: .*\$\.spec_name/),
        "is on a dependency cycle: a → b → a",
        "is on a dependency cycle: a → b → a",
        "depends on unknown task zz",
      ]);
      // The cycle's links are filled in once both issues exist.
      const a = (await forge.listIssues()).find((i) => i.title === "[a] Task a");
      expect(a?.body).toMatch(/- #\d+ \(task `b`\)/);
      await syncTaskGraph(forge, config);
      for (const issue of await forge.listIssues()) {
        const notes = (await forge.listComments(issue.number)).filter((c) =>
          c.body.includes("handoff:task-problem"),
        );
        expect(notes).toHaveLength(1);
      }
      const c = (await forge.listIssues()).find((i) => i.title === "[c] Task c")!;
      expect((await forge.listComments(c.number))[0]?.body).toContain(
        "cannot start: it depends on unknown task zz",
      );
      expect(dispatched).toEqual([]);
    }));

  it("finds self-dependencies and longer cycles", () => {
    const t = (id: string, deps: string[]) => ({
      task_id: id,
      spec_name: "s",
      title: id,
      description: "",
      acceptance_criteria: [],
      dependencies: deps,
      required_skill: "x",
      file: `${id}.yaml`,
    });
    expect(
      graphProblems([t("a", ["a"]), t("b", ["c"]), t("c", ["d"]), t("d", ["b"]), t("e", ["b"])]),
    ).toEqual([
      { taskId: "a", message: "depends on itself" },
      { taskId: "b", message: "is on a dependency cycle: b → c → d → b" },
      { taskId: "c", message: "is on a dependency cycle: b → c → d → b" },
      { taskId: "d", message: "is on a dependency cycle: b → c → d → b" },
    ]);
  });
});
