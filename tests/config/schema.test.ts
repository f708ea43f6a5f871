import { describe, expect, it } from "vitest";
import { defaultHandoffConfig, parseHandoffConfig } from "../../src/config/schema.js";
import { jsonSchemaOf } from "../../src/schemas.js";

describe(".github/handoff.yml", () => {
  it("has documented defaults", () => {
    expect(defaultHandoffConfig()).toEqual({
      permission: "write",
      llm_tasks: { branch: "handoff/llm-tasks", dir: "workspaces/logs/agent_tasks", rerun: null },
    });
    expect(parseHandoffConfig(null).llm_tasks.branch).toBe("handoff/llm-tasks");
  });

  it("reads every key", () => {
    const config = parseHandoffConfig({
      permission: "maintain",
      llm_tasks: { branch: "queue", dir: "q/", rerun: { workflow: "pipeline.yml", ref: "main" } },
    });
    expect(config).toEqual({
      permission: "maintain",
      llm_tasks: { branch: "queue", dir: "q", rerun: { workflow: "pipeline.yml", ref: "main", inputs: {} } },
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

  it("is published as `handoff schema config`", async () => {
    const schema = await jsonSchemaOf("config");
    expect(schema.title).toBe("Handoff config");
    expect(Object.keys(schema.properties as object)).toEqual(["_extends", "permission", "llm_tasks"]);
  });
});
