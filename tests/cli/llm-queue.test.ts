import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { KIND_SCHEMA } from "../helpers/llm-tasks.js";
import { withLlmServer } from "../helpers/llm-server.js";
import { withTempDir } from "../helpers/temp.js";

/** A clean environment: no agent name, THINK mode, no keys from the machine running the tests. */
const CLEAN = {
  LLM_EXEC_SLOT: "3",
  LLM_MODE: "",
  LLM_AGENT_NAME: "",
  LLM_AGENT_QUEUE_DIR: "",
  LLM_AGENT_RUNBOOKS_CONFIG: "",
  HANDOFF_LLM_PROVIDER: "",
  OPENAI_API_KEY: "",
  ANTHROPIC_API_KEY: "",
};

async function inputs(dir: string): Promise<void> {
  await writeFile(
    join(dir, "messages.json"),
    JSON.stringify([{ role: "user", content: "What kind of change is 'fix typo'?" }]),
  );
  await writeFile(join(dir, "format.json"), JSON.stringify(KIND_SCHEMA));
  await writeFile(join(dir, "options.json"), JSON.stringify({ temperature: 0, timeout: 30 }));
}

const LLM_ARGS = [
  "llm",
  "complete",
  "--task",
  "kind",
  "--messages-file",
  "messages.json",
  "--response-format-file",
  "format.json",
  "--options-file",
  "options.json",
];

describe("handoff llm complete + handoff queue", () => {
  it("queues a call (75), lists, shows, prompts, claims, completes, and the rerun prints the answer", async () => {
    await withTempDir(async (dir) => {
      await inputs(dir);
      const cli = (args: string[], env: Record<string, string> = {}, input?: string) =>
        runCli(args, { cwd: dir, env: { ...CLEAN, ...env }, input });

      const first = await cli(LLM_ARGS);
      expect(first.code).toBe(75);
      expect(first.stdout).toBe("");
      expect(first.stderr).toMatch(/^handoff: LLM task kind__[0-9a-f]{16} is pending \(THINK mode/);
      const id = /kind__[0-9a-f]{16}/.exec(first.stderr)![0];

      const list = await cli(["queue", "list", "--json"]);
      expect(list.code).toBe(0);
      expect(JSON.parse(list.stdout)).toEqual([
        expect.objectContaining({ id, task: "kind", status: "pending" }),
      ]);
      expect((await cli(["queue", "list"])).stdout).toMatch(
        new RegExp(`^pending +${id}  runbook: .*answer-llm-task\\.md`),
      );

      const show = JSON.parse((await cli(["queue", "show", id, "--json"])).stdout) as {
        status: string;
        pending: { invocation: { argv: string[] } };
      };
      expect(show.status).toBe("pending");
      expect(show.pending.invocation.argv.slice(2)).toEqual(LLM_ARGS);

      const prompt = await cli(["queue", "prompt", id]);
      expect(prompt.stdout).toContain(`# LLM task ${id}`);
      expect(prompt.stdout).toContain("# Answer an LLM task (general runbook)");
      expect(prompt.stdout).toContain("JSON, nothing else, valid against this JSON Schema:");
      expect(prompt.stdout).toContain("What kind of change is 'fix typo'?");
      expect(prompt.stdout).toContain(`handoff queue complete ${id} --content-file answer.txt`);

      const anonymous = await cli(["queue", "claim", id]);
      expect(anonymous.code).toBe(2);
      expect(anonymous.stderr).toBe(
        "handoff: an agent name is required: pass --agent-name NAME or set LLM_AGENT_NAME=NAME\n",
      );
      expect((await cli(["queue", "claim", id], { LLM_AGENT_NAME: "ann" })).code).toBe(0);
      const taken = await cli(["queue", "claim", id, "--agent-name", "bob"]);
      expect([taken.code, taken.stderr]).toEqual([3, expect.stringMatching(/already claimed by ann/)]);
      expect(JSON.parse((await cli(["queue", "list", "--status", "claimed", "--json"])).stdout)).toHaveLength(
        1,
      );

      const invalid = await cli(["queue", "complete", id, "--content", '{"kind": 1}'], {
        LLM_AGENT_NAME: "ann",
      });
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toMatch(
        /content does not satisfy the task's response_format: \$\.kind: must be string/,
      );
      expect(await readdir(join(dir, "workspaces/logs/agent_tasks/results"))).toEqual([]);
      const both = await cli(["queue", "complete", id, "--content", "x", "--content-file", "-"], {
        LLM_AGENT_NAME: "ann",
      });
      expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/exactly one of --content/)]);

      const done = await cli(
        ["queue", "complete", id, "--content-file", "-", "--notes", "easy"],
        { LLM_AGENT_NAME: "ann" },
        '{"kind":"fix"}',
      );
      expect(done.code).toBe(0);
      expect(done.stdout).toMatch(/completed kind__.* → workspaces\/logs\/agent_tasks\/results\/kind__/);
      const again = await cli(["queue", "complete", id, "--content", '{"kind":"feat"}'], {
        LLM_AGENT_NAME: "ann",
      });
      expect([again.code, again.stderr]).toEqual([
        3,
        expect.stringMatching(/already completed by ann .*first result is kept/),
      ]);

      const rerun = await cli(LLM_ARGS);
      expect([rerun.code, rerun.stdout]).toEqual([0, '{"kind":"fix"}']);
      const json = await cli([...LLM_ARGS, "--json"]);
      expect(JSON.parse(json.stdout)).toEqual({ task: "kind", id, content: '{"kind":"fix"}' });
      expect((await cli(["queue", "validate"])).stdout).toMatch(/2 of 2 files valid/);
      const anonymousGc = await cli(["queue", "gc"]);
      expect([anonymousGc.code, anonymousGc.stderr]).toEqual([
        2,
        expect.stringMatching(/an agent name is required/),
      ]);
      expect(JSON.parse((await cli(["queue", "gc", "--dry-run", "--json"])).stdout).dry_run).toBe(true);
      const gc = await cli(["queue", "gc", "--json"], { LLM_AGENT_NAME: "ann" });
      expect(JSON.parse(gc.stdout).answeredPending).toHaveLength(1);
      expect((await cli(LLM_ARGS)).stdout).toBe('{"kind":"fix"}');
    });
  }, 120_000);

  it("reads messages from stdin, and releases a claim only for its holder", async () => {
    await withTempDir(async (dir) => {
      const env = { ...CLEAN, LLM_AGENT_QUEUE_DIR: "q" };
      const messages = JSON.stringify([{ role: "user", content: "from stdin" }]);
      const first = await runCli(["llm", "complete", "--task", "s", "--messages-file", "-"], {
        cwd: dir,
        env,
        input: messages,
      });
      expect(first.code).toBe(75);
      const id = /s__[0-9a-f]{16}/.exec(first.stderr)![0];
      const cli = (args: string[], agent: string) =>
        runCli(args, { cwd: dir, env: { ...env, LLM_AGENT_NAME: agent } });
      expect((await cli(["queue", "claim", id], "ann")).code).toBe(0);
      const other = await cli(["queue", "release", id], "bob");
      expect([other.code, other.stderr]).toEqual([
        3,
        expect.stringMatching(/claimed by ann, not bob; use --force/),
      ]);
      expect((await cli(["queue", "release", id], "ann")).stdout).toBe(`released ${id}\n`);
      const status = JSON.parse((await cli(["queue", "show", id, "--json"], "ann")).stdout) as {
        status: string;
      };
      expect(status.status).toBe("pending");
    });
  }, 60_000);

  it("reports bad input files with exit 2 and writes nothing", async () => {
    await withTempDir(async (dir) => {
      await inputs(dir);
      await writeFile(join(dir, "broken.json"), "[{");
      const cli = (args: string[]) => runCli(args, { cwd: dir, env: CLEAN });
      const malformed = await cli(["llm", "complete", "--task", "t", "--messages-file", "broken.json"]);
      expect([malformed.code, malformed.stderr]).toEqual([
        2,
        expect.stringMatching(/^handoff: broken\.json: malformed JSON/),
      ]);
      const missing = await cli(["llm", "complete", "--task", "t", "--messages-file", "nope.json"]);
      expect([missing.code, missing.stderr]).toEqual([
        2,
        "handoff: --messages-file nope.json: cannot read (ENOENT)\n",
      ]);
      const badName = await cli(["llm", "complete", "--task", "../x", "--messages-file", "messages.json"]);
      expect([badName.code, badName.stderr]).toEqual([
        2,
        expect.stringMatching(/invalid task name "\.\.\/x"/),
      ]);
      const noTask = await cli(["llm", "complete", "--messages-file", "messages.json"]);
      expect(noTask.code).toBe(2);
      expect(existsSync(join(dir, "workspaces"))).toBe(false);
      const unknown = await cli(["queue", "show", "t__0123456789abcdef"]);
      expect([unknown.code, unknown.stderr]).toEqual([
        4,
        expect.stringMatching(/no LLM task t__0123456789abcdef/),
      ]);
    });
  });

  it("flags a file of an unknown schema_version in list and validate (exit 1)", async () => {
    await withTempDir(async (dir) => {
      const queue = join(dir, "q");
      await runCli(["llm", "complete", "--task", "t", "--messages-file", join(dir, "m.json")], {
        cwd: dir,
        env: CLEAN,
      });
      await writeFile(join(dir, "m.json"), JSON.stringify([{ role: "user", content: "x" }]));
      const env = { ...CLEAN, LLM_AGENT_QUEUE_DIR: queue };
      expect(
        (await runCli(["llm", "complete", "--task", "t", "--messages-file", "m.json"], { cwd: dir, env }))
          .code,
      ).toBe(75);
      const [name] = await readdir(join(queue, "pending"));
      const file = join(queue, "pending", name!);
      await writeFile(
        file,
        JSON.stringify({ ...JSON.parse(await readFile(file, "utf8")), schema_version: 2 }),
      );
      const validate = await runCli(["queue", "validate"], { cwd: dir, env });
      expect(validate.code).toBe(1);
      expect(validate.stdout).toContain(`${file}: $.schema_version: unknown version 2`);
      const list = JSON.parse(
        (await runCli(["queue", "list", "--json", "--queue-dir", queue], { cwd: dir, env: CLEAN })).stdout,
      );
      expect(list[0]).toMatchObject({
        status: "invalid",
        problem: expect.stringContaining("unknown schema_version 2"),
      });
      const rerun = await runCli(["llm", "complete", "--task", "t", "--messages-file", "m.json"], {
        cwd: dir,
        env,
      });
      expect([rerun.code, rerun.stderr]).toEqual([
        2,
        expect.stringContaining(`${file}: unknown schema_version 2`),
      ]);
    });
  });

  it("calls the API in API mode and prints the answer", async () => {
    await withLlmServer(async (server, url) => {
      await withTempDir(async (dir) => {
        await inputs(dir);
        server.openaiAnswer('{"kind":"docs"}');
        const env = {
          ...CLEAN,
          LLM_EXEC_SLOT: "0",
          HANDOFF_LLM_PROVIDER: "openai",
          HANDOFF_LLM_MODEL: "m",
          OPENAI_API_KEY: "k",
          OPENAI_BASE_URL: `${url}/v1`,
        };
        const result = await runCli(LLM_ARGS, { cwd: dir, env });
        expect([result.code, result.stdout]).toEqual([0, '{"kind":"docs"}']);
        expect(server.received[0]?.body).toMatchObject({
          model: "m",
          temperature: 0,
          response_format: KIND_SCHEMA,
        });
      });
    });
  });
});

describe("handoff schema", () => {
  it.each(["pending", "result"])("prints the JSON Schema of %s", async (kind) => {
    const result = await runCli(["schema", kind]);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as { title: string; properties: Record<string, unknown> };
    expect(schema.title).toBe(`Handoff ${kind}`);
    expect(schema.properties).toHaveProperty("schema_version");
  });

  it("refuses an unknown kind", async () => {
    const result = await runCli(["schema", "nope"]);
    expect([result.code, result.stderr]).toEqual([2, expect.stringMatching(/unknown schema kind "nope"/)]);
  });
});

describe("--help", () => {
  it.each([
    "llm complete",
    "queue list",
    "queue show",
    "queue prompt",
    "queue claim",
    "queue release",
    "queue complete",
    "queue validate",
    "queue gc",
    "think",
    "schema",
    "demo",
  ])("handoff %s --help", async (command) => {
    const result = await runCli([...command.split(" "), "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: handoff /);
    expect(result.stdout).toContain("75   an LLM task is pending");
  });
});
