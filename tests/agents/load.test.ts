import { symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkAgent, loadAgent, stepPromptPath } from "../../src/agents/load.js";
import { ConfigError } from "../../src/errors.js";
import { withTempDir } from "../helpers/temp.js";
import { baseAgent, merge, writeAgent } from "./fixture.js";

type Json = Record<string, unknown>;

/** Writes the base agent with `patch` applied and returns its problems, with the agent.json path. */
async function problemsFor(
  patch: Json,
  files: Record<string, unknown> = {},
): Promise<{ file: string; problems: string[] }> {
  return withTempDir(async (root) => {
    const dir = await writeAgent(root, merge(baseAgent(), patch), files);
    const check = await checkAgent(dir);
    return { file: join(dir, "agent.json"), problems: check.problems.map((p) => p.replace(root, "<root>")) };
  });
}

/** Asserts that exactly these `$.path: message` problems (regexes) were reported for agent.json. */
async function expectProblems(
  patch: Json,
  expected: RegExp[],
  files: Record<string, unknown> = {},
): Promise<void> {
  const { problems } = await problemsFor(patch, files);
  for (const pattern of expected) {
    const match = problems.find((p) => p.startsWith("<root>/demo/") && pattern.test(p));
    expect(match, `${String(pattern)} in\n${problems.join("\n")}`).toBeDefined();
  }
  expect(problems, problems.join("\n")).toHaveLength(expected.length);
}

describe("loadAgent", () => {
  it("loads a valid agent and fills the defaults of seed 003", async () => {
    await withTempDir(async (root) => {
      const dir = await writeAgent(root, baseAgent(), { "prompts/system.md": "You are a demo.\n" });
      const def = await loadAgent(dir);
      expect(def.name).toBe("demo");
      expect(def.dir).toBe(dir);
      expect(def.systemPrompt).toBe("You are a demo.\n");
      expect(def.stepsRegistry).toBeUndefined();
      expect(def.agent.finalize).toEqual({ autoMerge: true, push: false, remote: "origin", createPr: false });
      expect(def.agent.prompts).toEqual({ registry: "steps_registry.json", fallbackDir: "prompts/" });
      expect(def.agent.worktree).toEqual({ enabled: true, root: ".worktrees" });
      expect(def.agent.parameters).toEqual({});
    });
  });

  it("throws a ConfigError that lists every problem with file and JSON path", async () => {
    await withTempDir(async (root) => {
      const dir = await writeAgent(
        root,
        merge(baseAgent(), { role: "boss", displayName: undefined, extra: 1 }),
      );
      const error = await loadAgent(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      const config = error as ConfigError;
      expect(config.file).toBe(join(dir, "agent.json"));
      expect(config.problems).toHaveLength(3);
      expect(config.message).toContain("invalid agent definition (3 problems)");
      expect(config.message).toContain(`${dir}/agent.json: $.role: Invalid option`);
      expect(config.message).toContain(`${dir}/agent.json: $.displayName: Invalid input`);
      expect(config.message).toContain(`${dir}/agent.json: $: Unrecognized key: "extra"`);
    });
  });

  it("reports malformed JSON and a missing agent.json with the file", async () => {
    await withTempDir(async (root) => {
      const dir = await writeAgent(root, "{ not json");
      expect((await checkAgent(dir)).problems[0]).toMatch(/demo\/agent\.json: \$: malformed JSON: /);
      expect((await checkAgent(join(root, "nothing"))).problems[0]).toMatch(
        /nothing\/agent\.json: \$: cannot read \(ENOENT\)/,
      );
    });
  });

  it("requires name to equal the folder name", async () => {
    await withTempDir(async (root) => {
      const dir = await writeAgent(root, baseAgent("other"), {}, "demo");
      expect((await checkAgent(dir)).problems).toEqual([
        `${dir}/agent.json: $.name: "other" must equal the folder name "demo"`,
      ]);
    });
  });

  it("refuses source 003's logging and github blocks, which Handoff never read, saying why", async () => {
    await expectProblems({ logging: { directory: "tmp/logs/agents/{name}", format: "jsonl" } }, [
      /agent\.json: \$: Unrecognized key: "logging" \(logging: Handoff does not read it: a run's logs are its evidence folder/,
    ]);
    await expectProblems({ github: { enabled: true }, logging: {} }, [
      /\$: Unrecognized keys: "github", "logging" \(github: Handoff does not read it: whether a run reports to GitHub is the face's choice .*; logging: /,
    ]);
    await expectProblems({ extra: 1 }, [/\$: Unrecognized key: "extra"$/]);
  });

  it("refuses worktree.enabled: false rather than ignoring it", async () => {
    await expectProblems({ worktree: { enabled: false } }, [
      /\$\.worktree\.enabled: must be true: Handoff always runs an agent in its issue's worktree/,
    ]);
  });
});

describe("completionConfig must match completionType", () => {
  const cases: [string, Json, RegExp][] = [
    [
      "iterationBudget",
      { maxIterations: undefined },
      /\$\.behavior\.completionConfig\.maxIterations: completionType "iterationBudget" requires completionConfig\.maxIterations/,
    ],
    [
      "checkBudget",
      {},
      /\$\.behavior\.completionConfig\.maxChecks: completionType "checkBudget" requires completionConfig\.maxChecks/,
    ],
    [
      "keywordSignal",
      {},
      /\$\.behavior\.completionConfig\.completionKeyword: completionType "keywordSignal" requires/,
    ],
    [
      "structuredSignal",
      {},
      /\$\.behavior\.completionConfig\.outputSchema: completionType "structuredSignal" requires/,
    ],
    [
      "externalState",
      {},
      /\$\.behavior\.completionConfig\.validators: completionType "externalState" requires/,
    ],
    ["custom", {}, /\$\.behavior\.completionConfig\.completionHandler: completionType "custom" requires/],
  ];
  it.each(cases)("%s without its key is refused", async (type, config, pattern) => {
    await expectProblems({ behavior: { completionType: type, completionConfig: config } }, [pattern]);
  });

  it("composite needs completionConditions and mode any|all", async () => {
    await expectProblems(
      { behavior: { completionType: "composite", completionConfig: { maxIterations: 2 } } },
      [
        /\$\.behavior\.completionConfig\.completionConditions: completionType "composite" requires/,
        /\$\.behavior\.completionConfig\.mode: completionType "composite" requires/,
      ],
    );
    await expectProblems(
      {
        behavior: {
          completionType: "composite",
          completionConfig: { mode: "some", completionConditions: [] },
        },
      },
      [
        /\$\.behavior\.completionConfig\.mode: Invalid option/,
        /\$\.behavior\.completionConfig\.completionConditions: completionType "composite" needs at least one condition/,
      ],
    );
  });

  it("refuses keys that belong to another completion type, but allows maxIterations everywhere", async () => {
    await expectProblems(
      {
        behavior: {
          completionType: "keywordSignal",
          completionConfig: { completionKeyword: "DONE", maxChecks: 3, maxIterations: 4 },
        },
      },
      [
        /\$\.behavior\.completionConfig\.maxChecks: maxChecks belongs to completionType "checkBudget", not "keywordSignal"/,
      ],
    );
  });

  it("refuses an unknown completionType and unknown completionConfig keys", async () => {
    await expectProblems(
      { behavior: { completionType: "vibes", completionConfig: { maxIterations: 1, bogus: true } } },
      [
        /\$\.behavior\.completionType: Invalid option/,
        /\$\.behavior\.completionConfig: Unrecognized key: "bogus"/,
      ],
    );
  });

  it("structuredSignal compiles the outputSchema, inline or from a file", async () => {
    const sig = (outputSchema: unknown): Json => ({
      behavior: { completionType: "structuredSignal", completionConfig: { outputSchema } },
    });
    await expectProblems(sig({ type: "object" }), []);
    await expectProblems(sig("schemas/out.json"), [], {
      "schemas/out.json": { type: "object", required: ["ok"] },
    });
    await expectProblems(sig({ type: "strin" }), [
      /\$\.behavior\.completionConfig\.outputSchema: not a valid JSON Schema: .*type/,
    ]);
    await expectProblems(sig("schemas/none.json"), [
      /\$\.behavior\.completionConfig\.outputSchema: file "schemas\/none\.json" does not exist/,
    ]);
    await expectProblems(
      sig("schemas/bad.json"),
      [/\$\.behavior\.completionConfig\.outputSchema: "schemas\/bad\.json" is not JSON/],
      {
        "schemas/bad.json": "{",
      },
    );
  });

  it("custom needs a handler module that exists and is JavaScript", async () => {
    const custom = (completionHandler: string): Json => ({
      behavior: { completionType: "custom", completionConfig: { completionHandler } },
    });
    await expectProblems(custom("handler.mjs"), [], { "handler.mjs": "export default () => true;\n" });
    await expectProblems(custom("handler.mjs"), [
      /\$\.behavior\.completionConfig\.completionHandler: handler module "handler\.mjs" does not exist/,
    ]);
    await expectProblems(
      custom("handler.py"),
      [/completionHandler: handler module "handler\.py" must be a \.js or \.mjs file/],
      {
        "handler.py": "print(1)\n",
      },
    );
  });

  it("stepMachine needs a registry whose steps exist", async () => {
    const machine = (config: Json = {}): Json => ({
      behavior: { completionType: "stepMachine", completionConfig: config },
    });
    const registry = {
      steps: {
        "work.implement": { completionConditions: [{ validator: "git-clean" }], next: "work.verify" },
        "work.verify": { completionConditions: [{ validator: "tests-pass" }] },
      },
    };
    await expectProblems(machine({ initialStep: "work.implement" }), [], { "steps_registry.json": registry });
    await expectProblems(machine(), [
      /\$\.prompts\.registry: completionType "stepMachine" needs a steps registry/,
    ]);
    await expectProblems(
      machine(),
      [/steps_registry\.json: \$\.steps: completionType "stepMachine" needs at least one step/],
      {
        "steps_registry.json": { steps: {} },
      },
    );
    await expectProblems(
      machine({ initialStep: "work.nope" }),
      [
        /\$\.behavior\.completionConfig\.initialStep: unknown step "work\.nope"; steps in .*: work\.implement, work\.verify/,
      ],
      {
        "steps_registry.json": registry,
      },
    );
  });
});

describe("steps_registry.json", () => {
  it("checks validator names, validator args, next, cycles and retry attempts with the registry's path", async () => {
    const registry = {
      steps: {
        "a.b": {
          completionConditions: [
            { validator: "git-cleen" },
            { validator: "file-exists" },
            { validator: "command-succeeds", args: { cmd: "x", command: "npm test" } },
          ],
          next: "c",
        },
        x: { onFailure: { action: "retry", maxAttempts: 1 } },
        y: { onFailure: { action: "panic", maxAttempts: 1 } },
        loop1: { next: "loop2" },
        loop2: { next: "loop1" },
      },
    };
    await expectProblems(
      {},
      [
        /steps_registry\.json: \$\.steps\["a\.b"\]\.completionConditions\[0\]\.validator: unknown validator "git-cleen" \(did you mean "git-clean"\?\); known: git-clean, /,
        /steps_registry\.json: \$\.steps\["a\.b"\]\.completionConditions\[1\]\.args\.path: file-exists: Invalid input/,
        /steps_registry\.json: \$\.steps\["a\.b"\]\.completionConditions\[2\]\.args: command-succeeds: Unrecognized key: "cmd"/,
        /steps_registry\.json: \$\.steps\["a\.b"\]\.next: unknown step "c"/,
        /steps_registry\.json: \$\.steps\.x\.onFailure\.maxAttempts: action "retry" needs maxAttempts of at least 2/,
        /steps_registry\.json: \$\.steps\.y\.onFailure\.action: Invalid option/,
        /steps_registry\.json: \$\.steps\.loop1\.next: steps form a cycle through "loop1"/,
        /steps_registry\.json: \$\.steps\.loop2\.next: steps form a cycle through "loop2"/,
      ],
      { "steps_registry.json": registry },
    );
  });

  it("requires an explicit step prompt to exist and resolves implicit C3L prompts", async () => {
    const registry = {
      steps: { "work.implement": {}, "work.verify": { prompt: "prompts/verify.md" }, "work.none": {} },
    };
    await expectProblems(
      {},
      [
        /steps_registry\.json: \$\.steps\["work\.verify"\]\.prompt: file "prompts\/verify\.md" does not exist/,
      ],
      {
        "steps_registry.json": registry,
      },
    );
    await withTempDir(async (root) => {
      const dir = await writeAgent(root, baseAgent(), {
        "steps_registry.json": registry,
        "prompts/verify.md": "verify",
        "prompts/steps/work/implement.md": "implement",
      });
      const def = await loadAgent(dir);
      expect(await stepPromptPath(def, "work.implement")).toBe(join(dir, "prompts/steps/work/implement.md"));
      expect(await stepPromptPath(def, "work.verify")).toBe(join(dir, "prompts/verify.md"));
      expect(await stepPromptPath(def, "work.none")).toBeUndefined();
      expect(await stepPromptPath(def, "nope")).toBeUndefined();
    });
  });

  it("reads the registry named by prompts.registry, which must exist", async () => {
    await expectProblems({ prompts: { registry: "flow/steps.json" } }, [
      /\$\.prompts\.registry: file "flow\/steps\.json" does not exist/,
    ]);
    await expectProblems(
      { prompts: { registry: "flow/steps.json" } },
      [/flow\/steps\.json: \$\.steps\.s\.completionConditions\[0\]\.validator: unknown validator "nope"/],
      {
        "flow/steps.json": { steps: { s: { completionConditions: [{ validator: "nope" }] } } },
      },
    );
  });
});

describe("validators in completionConfig", () => {
  it("checks names and args of externalState validators and composite conditions", async () => {
    await expectProblems(
      {
        behavior: {
          completionType: "externalState",
          completionConfig: {
            validators: [
              { validator: "tests-pass", args: { command: "npm test" } },
              { validator: "commits-ahead", args: { min: 0 } },
              { validator: "keyword-present" },
              { validator: "json-schema", args: { schema: { type: "nope" } } },
              { validator: "json-schema", args: { schema: "missing.json" } },
              { validator: "file-exists", args: { path: "../outside" } },
              { validator: "linted" },
            ],
          },
        },
      },
      [
        /\$\.behavior\.completionConfig\.validators\[1\]\.args\.min: commits-ahead: Too small/,
        /\$\.behavior\.completionConfig\.validators\[2\]\.args\.keyword: keyword-present: Invalid input/,
        /\$\.behavior\.completionConfig\.validators\[3\]\.args\.schema: not a valid JSON Schema/,
        /\$\.behavior\.completionConfig\.validators\[4\]\.args\.schema: file "missing\.json" does not exist/,
        /\$\.behavior\.completionConfig\.validators\[5\]\.args\.path: file-exists: must be a relative path that stays inside the worktree/,
        /\$\.behavior\.completionConfig\.validators\[6\]\.validator: unknown validator "linted"/,
      ],
    );
  });
});

describe("referenced files", () => {
  it("requires the system prompt, an explicit fallbackDir and keeps paths inside the agent folder", async () => {
    await expectProblems(
      { behavior: { systemPromptPath: "prompts/missing.md" }, prompts: { fallbackDir: "nowhere/" } },
      [
        /\$\.behavior\.systemPromptPath: file "prompts\/missing\.md" does not exist/,
        /\$\.prompts\.fallbackDir: folder "nowhere\/" does not exist/,
      ],
    );
    await expectProblems({ behavior: { systemPromptPath: "../secret.md" } }, [
      /\$\.behavior\.systemPromptPath: must be a relative path inside the agent folder/,
      /\$\.behavior\.systemPromptPath: "\.\.\/secret\.md" must be a relative path inside the agent folder/,
    ]);
    await expectProblems({ behavior: { systemPromptPath: "/etc/passwd" } }, [
      /\$\.behavior\.systemPromptPath: must be a relative path inside the agent folder/,
      /\$\.behavior\.systemPromptPath: "\/etc\/passwd" must be a relative path/,
    ]);
    await expectProblems({ behavior: { systemPromptPath: "prompts" } }, [
      /\$\.behavior\.systemPromptPath: "prompts" is not a file/,
    ]);
  });

  it("refuses a symlink that leads out of the agent folder", async () => {
    await withTempDir(async (root) => {
      await writeFile(join(root, "outside.md"), "x");
      const dir = await writeAgent(root, merge(baseAgent(), { behavior: { systemPromptPath: "link.md" } }));
      await symlink(join(root, "outside.md"), join(dir, "link.md"));
      expect((await checkAgent(dir)).problems).toEqual([
        `${dir}/agent.json: $.behavior.systemPromptPath: "link.md" resolves outside the agent folder`,
      ]);
    });
  });
});

describe("runtime", () => {
  it("needs a command for the command adapter and keeps command/args to it", async () => {
    await expectProblems({ runtime: { adapter: "command" } }, [
      /\$\.runtime\.command: adapter "command" requires runtime\.command/,
    ]);
    await expectProblems({ runtime: { command: "claude", args: ["-p"] } }, [
      /\$\.runtime\.command: runtime\.command is only used by adapter "command", not "claude-code"/,
      /\$\.runtime\.args: runtime\.args is only used by adapter "command", not "claude-code"/,
    ]);
    await expectProblems({ runtime: { adapter: "podman" } }, [/\$\.runtime\.adapter: Invalid option/]);
  });

  it("accepts known placeholders and parameters, refuses unknown ones", async () => {
    await expectProblems(
      {
        runtime: {
          adapter: "command",
          command: "./run-{tool}.sh",
          args: ["{prompt_file}", "{worktree}", "{issue}", "{level}", "{oops}"],
        },
        parameters: { level: { type: "string" } },
      },
      [
        /\$\.runtime\.command: unknown placeholder \{tool\}; known: \{prompt_file\} \{worktree\} \{issue\} \{level\}/,
        /\$\.runtime\.args\[4\]: unknown placeholder \{oops\}/,
      ],
    );
  });

  it("lists environment variable names only and never echoes a value", async () => {
    const secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    const { problems } = await problemsFor({
      runtime: { env: ["OK_NAME", `GITHUB_TOKEN=${secret}`, secret, "lower_case", "OK_NAME", 5] },
    });
    expect(problems).toEqual([
      "<root>/demo/agent.json: $.runtime.env[5]: Invalid input: expected string, received number",
      "<root>/demo/agent.json: $.runtime.env[1]: contains '=': list the variable NAME only; its value comes from the environment",
      "<root>/demo/agent.json: $.runtime.env[2]: does not look like a variable name (^[A-Z_][A-Z0-9_]*$); list names only, never values",
      "<root>/demo/agent.json: $.runtime.env[3]: does not look like a variable name (^[A-Z_][A-Z0-9_]*$); list names only, never values",
      "<root>/demo/agent.json: $.runtime.env[4]: duplicate variable name OK_NAME",
      "<root>/demo/agent.json: $.runtime.env[5]: must be a variable name (a string)",
    ]);
    expect(problems.join("\n")).not.toContain(secret);
  });

  it("refuses Claude Code's own env scrub in a claude-code agent's runtime.env, and only there", async () => {
    await expectProblems(
      { runtime: { adapter: "claude-code", env: ["ANTHROPIC_API_KEY", "CLAUDE_CODE_SUBPROCESS_ENV_SCRUB"] } },
      [
        /\$\.runtime\.env\[1\]: CLAUDE_CODE_SUBPROCESS_ENV_SCRUB replaces Claude Code's worktree-only sandbox/,
      ],
    );
    const { problems } = await problemsFor({
      runtime: { adapter: "command", command: "./run.sh", env: ["CLAUDE_CODE_SUBPROCESS_ENV_SCRUB"] },
    });
    expect(problems).toEqual([]);
  });

  it("checks tty and maxTurns types", async () => {
    await expectProblems({ runtime: { tty: "yes", maxTurns: 0 } }, [
      /\$\.runtime\.tty: Invalid input/,
      /\$\.runtime\.maxTurns: Too small/,
    ]);
  });
});

describe("parameters", () => {
  it("checks default types, required with default, flag syntax, duplicates and reserved flags", async () => {
    await expectProblems(
      {
        parameters: {
          topic: { type: "string", required: true, default: "x" },
          count: { type: "number", default: "ten" },
          a: { type: "string", cli: "--same" },
          b: { type: "string", cli: "--same" },
          c: { type: "boolean", cli: "--push" },
          d: { type: "string", cli: "-d" },
          e: { type: "date" },
        },
      },
      [
        /\$\.parameters\.topic\.required: a required parameter cannot have a default/,
        /\$\.parameters\.count\.default: default "ten" is not a number/,
        /\$\.parameters\.b\.cli: --same is also the flag of parameter "a"/,
        /\$\.parameters\.c\.cli: --push is an option of `handoff run` itself/,
        /\$\.parameters\.d\.cli: must be a long flag such as --max-iterations/,
        /\$\.parameters\.e\.type: Invalid option/,
      ],
    );
  });

  it("checks config.json overrides against the declared parameters", async () => {
    await expectProblems(
      { parameters: { topic: { type: "string" }, n: { type: "number" } } },
      [
        /demo\/config\.json: \$\.parameters\.n: must be a number/,
        /demo\/config\.json: \$\.parameters\.nope: unknown parameter "nope"; agent\.json declares: topic, n/,
        /demo\/config\.json: \$: Unrecognized key: "secrets"/,
      ],
      { "config.json": { parameters: { topic: "x", n: "1", nope: true }, secrets: {} } },
    );
  });
});

describe("roles", () => {
  it("a tester may not push or open a PR; only an integrator pushes the base branch", async () => {
    await expectProblems({ role: "tester", finalize: { push: true } }, [
      /\$\.finalize\.push: role "tester" may not commit, so it has nothing to push or propose/,
    ]);
    await expectProblems({ role: "reviewer", finalize: { createPr: true } }, [
      /\$\.finalize\.createPr: role "reviewer" may not commit/,
    ]);
    await expectProblems({ role: "coder", finalize: { push: true } }, [
      /\$\.finalize\.push: push with autoMerge pushes the base branch, which only an integrator may do/,
    ]);
    await expectProblems({ role: "coder", finalize: { push: true, createPr: true } }, []);
    await expectProblems({ role: "coder", finalize: { push: true, autoMerge: false } }, []);
    await expectProblems({ role: "integrator", finalize: { push: true } }, []);
  });
});
