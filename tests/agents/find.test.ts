import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkAgent,
  defaultAgentRoots,
  findAgent,
  KNOWN_VALIDATORS,
  listAgents,
  packageAgentsDir,
  roleCapabilities,
  ROLES,
} from "../../src/agents/index.js";
import { ConfigError, NotFoundError, UsageError } from "../../src/errors.js";
import { jsonSchemaOf } from "../../src/schemas.js";
import { withTempDir } from "../helpers/temp.js";
import { baseAgent, merge, writeAgent } from "./fixture.js";

const SHIPPED = ["aider", "claude-code", "codex", "gemini", "planner", "reviewer", "shell"];

describe("shipped agents", () => {
  it("ships claude-code, codex, gemini, aider, shell, reviewer and planner", async () => {
    const dir = packageAgentsDir();
    expect(dir).toMatch(/\/agents$/);
    expect((await listAgents([dir as string])).map((a) => a.name)).toEqual(SHIPPED);
  });

  it.each(SHIPPED)("%s validates", async (name) => {
    const check = await checkAgent(join(packageAgentsDir() as string, name));
    expect(check.problems).toEqual([]);
    const def = check.definition;
    expect(def?.systemPrompt.length).toBeGreaterThan(200);
    expect(def?.stepsRegistry && Object.keys(def.stepsRegistry.steps).length).toBeGreaterThan(0);
  });

  it("gives each coder its own CLI adapter and keeps reviewer and planner read-only", async () => {
    const dir = packageAgentsDir() as string;
    const adapters = await Promise.all(
      ["claude-code", "codex", "gemini", "aider", "shell"].map(
        async (n) => (await findAgent(n, [dir])).agent.runtime.adapter,
      ),
    );
    expect(adapters).toEqual(["claude-code", "codex", "gemini", "aider", "command"]);
    for (const name of ["reviewer", "planner"]) {
      const def = await findAgent(name, [dir]);
      expect(def.agent.role).toBe(name);
      expect(def.agent.behavior.permissionMode).toBe("plan");
      expect(roleCapabilities(def.agent.role).commit).toBe(false);
    }
  });

  it("finds the shipped folder from the source tree and from a bundle path", () => {
    const here = packageAgentsDir();
    expect(packageAgentsDir(join(here as string, "..", "build", "chunks", "x.js"))).toBe(here);
    expect(packageAgentsDir("/")).toBeUndefined();
  });
});

describe("findAgent and listAgents", () => {
  it("searches the roots in order; an earlier root shadows a later one", async () => {
    await withTempDir(async (tmp) => {
      const local = join(tmp, ".handoff", "agents");
      const repo = join(tmp, "agents");
      await writeAgent(local, merge(baseAgent("demo"), { displayName: "Local demo" }));
      await writeAgent(repo, merge(baseAgent("demo"), { displayName: "Repo demo" }));
      await writeAgent(repo, baseAgent("only-repo"));
      await mkdir(join(repo, "not-an-agent"));
      const roots = [local, repo, join(tmp, "missing")];
      const list = await listAgents(roots);
      expect(list.map((e) => [e.name, e.root])).toEqual([
        ["demo", local],
        ["only-repo", repo],
      ]);
      expect((await findAgent("demo", roots)).agent.displayName).toBe("Local demo");
      expect((await findAgent("only-repo", roots)).dir).toBe(join(repo, "only-repo"));
    });
  });

  it("throws NotFoundError listing the known agents", async () => {
    await withTempDir(async (tmp) => {
      await writeAgent(tmp, baseAgent("alpha"));
      await writeAgent(tmp, baseAgent("beta"));
      const error = await findAgent("gamma", [tmp]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as Error).message).toMatch(/unknown agent "gamma"; known agents: alpha, beta/);
    });
  });

  it("refuses names that could leave the roots, and reports an invalid agent as ConfigError", async () => {
    await withTempDir(async (tmp) => {
      await expect(findAgent("../etc", [tmp])).rejects.toBeInstanceOf(UsageError);
      await expect(findAgent("A/B", [tmp])).rejects.toBeInstanceOf(UsageError);
      await writeAgent(tmp, merge(baseAgent("broken"), { role: "king" }));
      await expect(findAgent("broken", [tmp])).rejects.toBeInstanceOf(ConfigError);
    });
  });

  it("defaults to <repo>/.handoff/agents, <repo>/agents, then the shipped agents", async () => {
    await withTempDir(async (tmp) => {
      await mkdir(join(tmp, ".git"));
      await mkdir(join(tmp, "sub", "dir"), { recursive: true });
      expect(defaultAgentRoots(join(tmp, "sub", "dir"))).toEqual([
        join(tmp, ".handoff", "agents"),
        join(tmp, "agents"),
        packageAgentsDir(),
      ]);
    });
  });
});

describe("roles and validators as data", () => {
  it("follows seed 001: a tester may not commit, only an integrator pushes to the base branch", () => {
    expect(ROLES).toEqual(["planner", "coder", "tester", "reviewer", "integrator", "security"]);
    expect(roleCapabilities("tester")).toMatchObject({ commit: false, push: false, pushToBase: false });
    expect(roleCapabilities("tester").deny).toContainEqual({ program: "git", subcommand: "commit" });
    expect(roleCapabilities("coder")).toMatchObject({ commit: true, push: true, pushToBase: false });
    expect(ROLES.filter((r) => roleCapabilities(r).pushToBase)).toEqual(["integrator"]);
    for (const role of ROLES)
      expect(roleCapabilities(role).deny).toContainEqual({ program: "git", subcommand: "push" });
  });

  it("declares each validator with its args schema", () => {
    expect(Object.keys(KNOWN_VALIDATORS)).toEqual(
      expect.arrayContaining([
        "git-clean",
        "tests-pass",
        "file-exists",
        "command-succeeds",
        "keyword-present",
        "json-schema",
      ]),
    );
    expect(KNOWN_VALIDATORS["file-exists"].args.safeParse({ path: "a/b" }).success).toBe(true);
    expect(KNOWN_VALIDATORS["file-exists"].args.safeParse({}).success).toBe(false);
    expect(KNOWN_VALIDATORS["commits-ahead"].args.parse({})).toEqual({ min: 1 });
  });

  it("generates JSON Schemas for agent.json and steps_registry.json from the zod schemas", async () => {
    const agent = (await jsonSchemaOf("agent")) as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(agent.required).toEqual(expect.arrayContaining(["name", "role", "runtime", "behavior"]));
    expect(Object.keys(agent.properties)).toEqual(
      expect.arrayContaining(["finalize", "parameters", "prompts"]),
    );
    expect(JSON.stringify(await jsonSchemaOf("steps-registry"))).toContain("completionConditions");
  });
});

describe("robust lookups", () => {
  it("ignores a root that is a file and validates a path to agent.json", async () => {
    await withTempDir(async (tmp) => {
      const file = join(tmp, "not-a-folder");
      await writeFile(file, "x");
      await writeAgent(tmp, baseAgent("demo"));
      expect((await listAgents([file, tmp])).map((e) => e.name)).toEqual(["demo"]);
    });
  });
});
