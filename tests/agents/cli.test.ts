import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { loadAgent } from "../../src/agents/load.js";
import { parameterOptions, parameterValues } from "../../src/cli/commands/agent.js";
import { runCli } from "../helpers/cli.js";
import { withTempDir } from "../helpers/temp.js";
import { baseAgent, merge, writeAgent } from "./fixture.js";

const SHIPPED = ["aider", "claude-code", "codex", "gemini", "planner", "reviewer", "shell"];

describe("handoff agent validate", () => {
  it("validates every agent found and exits 0", async () => {
    const result = await runCli(["agent", "validate"]);
    expect(result.code).toBe(0);
    for (const name of SHIPPED) expect(result.stdout).toMatch(new RegExp(`^valid +${name} `, "m"));
  });

  it("exits 1 and lists every problem with file and JSON path", async () => {
    await withTempDir(async (tmp) => {
      const good = await writeAgent(tmp, baseAgent("good"));
      const bad = await writeAgent(
        tmp,
        merge(baseAgent("bad"), {
          role: "boss",
          behavior: { completionType: "keywordSignal" },
          runtime: { env: ["X=1"] },
        }),
      );
      const result = await runCli(["agent", "validate", good, bad]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^valid +good /m);
      expect(result.stdout).toContain(`invalid  ${bad} (3 problems)`);
      expect(result.stdout).toContain(`${bad}/agent.json: $.role: Invalid option`);
      expect(result.stdout).toContain(
        `${bad}/agent.json: $.behavior.completionConfig.completionKeyword: completionType "keywordSignal" requires completionConfig.completionKeyword`,
      );
      expect(result.stdout).toContain(`${bad}/agent.json: $.runtime.env[0]: contains '='`);
      expect(result.stdout).not.toContain("X=1");

      const json = await runCli(["agent", "validate", "--json", bad]);
      expect(json.code).toBe(1);
      const parsed = JSON.parse(json.stdout) as { valid: boolean; problems: string[] }[];
      expect(parsed[0]?.valid).toBe(false);
      expect(parsed[0]?.problems).toHaveLength(3);
    });
  });

  it("accepts an agent name and refuses a name or folder that does not exist", async () => {
    expect((await runCli(["agent", "validate", "reviewer"])).code).toBe(0);
    const missing = await runCli(["agent", "validate", "no-such-agent"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(
      /no such folder, and no agent named "no-such-agent" \(known: aider, claude-code/,
    );
  });
});

describe("handoff agent list and show", () => {
  it("lists shipped and repository agents; local ones shadow shipped ones; invalid ones are marked", async () => {
    await withTempDir(async (repo) => {
      await mkdir(join(repo, ".git"));
      await writeAgent(
        join(repo, ".handoff", "agents"),
        merge(baseAgent("reviewer"), { displayName: "Our reviewer" }),
      );
      await writeAgent(join(repo, "agents"), merge(baseAgent("broken"), { role: "boss" }));
      const result = await runCli(["agent", "list", "--json"], { cwd: repo });
      expect(result.code).toBe(0);
      const rows = JSON.parse(result.stdout) as {
        name: string;
        valid: boolean;
        displayName?: string;
        dir: string;
      }[];
      expect(rows.map((r) => r.name)).toEqual([...SHIPPED, "broken"].sort());
      expect(rows.find((r) => r.name === "reviewer")).toMatchObject({
        displayName: "Our reviewer",
        valid: true,
      });
      expect(rows.find((r) => r.name === "broken")).toMatchObject({ valid: false });
      const text = await runCli(["agent", "list"], { cwd: repo });
      expect(text.stdout).toMatch(/^broken +- +- +INVALID \(1 problem; run handoff agent validate broken\)/m);
      expect(text.stdout).toMatch(/^claude-code +coder +claude-code +Implements an issue/m);
    });
  });

  it("shows an agent with its capabilities, run flags and steps", async () => {
    const text = await runCli(["agent", "show", "planner"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("role:        planner (commit: no, push branch: no, push base: no)");
    expect(text.stdout).toContain("--max-steps <number>");
    expect(text.stdout).toContain("plan.write: keyword-present");
    const json = await runCli(["agent", "show", "shell", "--json"]);
    const shown = JSON.parse(json.stdout) as {
      agent: { runtime: { adapter: string } };
      capabilities: { commit: boolean };
      runFlags: { flags: string; required: boolean }[];
    };
    expect(shown.agent.runtime.adapter).toBe("command");
    expect(shown.capabilities.commit).toBe(true);
    expect(shown.runFlags).toEqual([expect.objectContaining({ flags: "--script <value>", required: true })]);
  });

  it("exits 4 for an unknown agent and names the known ones", async () => {
    const result = await runCli(["agent", "show", "nobody"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(
      /handoff: unknown agent "nobody"; known agents: aider, claude-code, codex, gemini, planner, reviewer, shell/,
    );
  });

  it("prints the JSON Schemas", async () => {
    const agent = JSON.parse((await runCli(["agent", "schema"])).stdout) as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(agent.properties)).toContain("runtime");
    const registry = JSON.parse((await runCli(["agent", "schema", "--registry"])).stdout) as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(registry.properties)).toContain("steps");
  });
});

describe("parameterOptions", () => {
  it("turns parameters into flags of handoff run, with config.json overriding defaults", async () => {
    await withTempDir(async (tmp) => {
      const dir = await writeAgent(
        tmp,
        merge(baseAgent(), {
          parameters: {
            topic: { type: "string", required: true, cli: "--topic", description: "Session topic" },
            maxIterations: { type: "number", default: 10, cli: "--max-iterations" },
            dryRun: { type: "boolean" },
            color: { type: "boolean", default: true },
            level: { type: "string", default: "low" },
          },
        }),
        { "config.json": { parameters: { level: "high" } } },
      );
      const def = await loadAgent(dir);
      const options = parameterOptions(def);
      expect(options.map((o) => o.flags)).toEqual([
        "--topic <value>",
        "--max-iterations <number>",
        "--dry-run",
        "--no-color",
        "--level <value>",
      ]);
      const parse = (args: string[]): Record<string, unknown> => {
        const cmd = new Command("run").exitOverride().configureOutput({ writeErr: () => {} });
        for (const option of options) cmd.addOption(option);
        cmd.parse(args, { from: "user" });
        return parameterValues(def, cmd.opts());
      };
      expect(parse(["--topic", "t", "--max-iterations", "3", "--dry-run", "--no-color"])).toEqual({
        topic: "t",
        maxIterations: 3,
        dryRun: true,
        color: false,
        level: "high",
      });
      expect(parse(["--topic", "t"])).toEqual({
        topic: "t",
        maxIterations: 10,
        dryRun: false,
        color: true,
        level: "high",
      });
      expect(() => parse([])).toThrow(/required option '--topic <value>' not specified/);
      expect(() => parse(["--topic", "t", "--max-iterations", "ten"])).toThrow(/"ten" is not a number/);
    });
  });
});

describe("handoff agent validate with a file path", () => {
  it("accepts the path of an agent.json", async () => {
    const result = await runCli(["agent", "validate", "agents/shell/agent.json"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^valid +shell /m);
  });
});
