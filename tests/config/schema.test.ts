import { describe, expect, it } from "vitest";
import { defaultHandoffConfig, parseHandoffConfig } from "../../src/config/schema.js";
import { jsonSchemaOf } from "../../src/schemas.js";

describe(".github/handoff.yml", () => {
  it("has documented defaults", () => {
    expect(defaultHandoffConfig()).toEqual({
      permission: "write",
      llm_tasks: { branch: "handoff/llm-tasks", dir: "workspaces/logs/agent_tasks", rerun: null },
      agents: {
        label_prefix: "agent:",
        running_label: "handoff:running",
        workflow: "handoff-agent.yml",
        rollback_workflow: "handoff-rollback.yml",
        ref: null,
      },
      dashboard: false,
      tasks: { dir: ".handoff/tasks" },
      skills: {},
    });
    expect(parseHandoffConfig(null).llm_tasks.branch).toBe("handoff/llm-tasks");
  });

  it("reads every key", () => {
    const config = parseHandoffConfig({
      permission: "maintain",
      llm_tasks: { branch: "queue", dir: "q/", rerun: { workflow: "pipeline.yml", ref: "main" } },
      agents: { label_prefix: "run:", workflow: "agent.yml", ref: "release" },
      dashboard: true,
      tasks: { dir: "specs/tasks/" },
      skills: { backend: "claude-code" },
    });
    expect(config).toEqual({
      permission: "maintain",
      llm_tasks: { branch: "queue", dir: "q", rerun: { workflow: "pipeline.yml", ref: "main", inputs: {} } },
      agents: {
        label_prefix: "run:",
        running_label: "handoff:running",
        workflow: "agent.yml",
        rollback_workflow: "handoff-rollback.yml",
        ref: "release",
      },
      dashboard: true,
      tasks: { dir: "specs/tasks" },
      skills: { backend: "claude-code" },
    });
  });

  it("reports every problem with its JSON path", () => {
    let problems: readonly string[] = [];
    try {
      parseHandoffConfig(
        { permission: "read", llm_tasks: { branch: "a..b", dir: "../out", rerun: {}, colour: 1 } },
        ".github/handoff.yml",
      );
    } catch (error) {
      problems = (error as { problems: string[] }).problems;
      expect((error as Error).message).toMatch(/^\.github\/handoff\.yml: 5 problems/);
    }
    expect(problems).toEqual([
      expect.stringMatching(/^\$\.permission: /),
      "$.llm_tasks.branch: not a valid git branch name",
      expect.stringMatching(/^\$\.llm_tasks\.dir: must be a relative path/),
      expect.stringMatching(/^\$\.llm_tasks\.rerun\.workflow: /),
      '$.llm_tasks: Unrecognized key: "colour"',
    ]);
  });

  it("refuses agent keys that cannot work, naming each", () => {
    expect(() =>
      parseHandoffConfig({
        agents: { label_prefix: "agent", workflow: "x y", colour: 1 },
        skills: { backend: "Not An Agent" },
        tasks: { dir: "/abs" },
      }),
    ).toThrow(
      /\$\.agents\.label_prefix: must be a word ending.*\$\.agents\.workflow: a workflow file name.*\$\.agents: Unrecognized key: "colour".*\$\.tasks\.dir: must be a relative path.*\$\.skills\.backend: an agent name/,
    );
  });

  it("is published as `handoff schema config`", async () => {
    const schema = await jsonSchemaOf("config");
    expect(schema.title).toBe("Handoff config");
    expect(Object.keys(schema.properties as object)).toEqual([
      "_extends",
      "permission",
      "llm_tasks",
      "agents",
      "dashboard",
      "tasks",
      "skills",
    ]);
  });
});
