/**
 * Every flag and config key the Codex and Gemini adapters pass, checked against the installed version
 * of each CLI: its real `--help`, Codex's `--strict-config` (which refuses an unknown `-c` key) and
 * Gemini CLI's own settings schema from its bundle. A version bump that renames one fails here, not in
 * a user's run.
 */
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { getAdapter, type AdapterInput, type LaunchPlan } from "../../src/runtimes/index.js";
import { geminiSettings } from "../../src/runtimes/gemini.js";
import { responsesApi } from "../helpers/model-dialects.js";
import { startModelServer, type ScriptReply } from "../helpers/model-server.js";
import { withTempDir } from "../helpers/temp.js";
import { codexEnv, vendorEntry } from "../helpers/vendor-clis.js";

const run = promisify(execFile);

function input(adapter: "codex" | "gemini", extra: Partial<AdapterInput> = {}): AdapterInput {
  return {
    runtime:
      adapter === "codex"
        ? { adapter, model: "gpt-5.5", env: ["OPENAI_API_KEY", "OPENAI_BASE_URL"] }
        : { adapter, model: "gemini-2.5-flash", env: ["GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL"] },
    prompt: "Say ok.",
    promptFile: "/p.md",
    worktree: "/w",
    issue: "1",
    policyHookCommand: "true",
    homeDir: "/h",
    sourceEnv: {
      PATH: "/bin",
      OPENAI_API_KEY: "k",
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      GEMINI_API_KEY: "k",
    },
    ...extra,
  };
}

/** The options a plan passes (`-x`/`--xyz`), without their values. */
const flagsOf = (plan: LaunchPlan): string[] => plan.args.filter((a) => /^--?[a-zA-Z]/.test(a));

async function help(cli: "codex" | "gemini", args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [vendorEntry(cli), ...args], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  return stdout;
}

describe("Codex CLI flags and config keys, against the installed @openai/codex", () => {
  it("lists every flag the adapter passes, and every sandbox mode it maps to", async () => {
    const text = await help("codex", ["exec", "--help"]);
    const plan = getAdapter("codex").plan(input("codex"));
    for (const flag of flagsOf(plan)) expect(text, flag).toMatch(new RegExp(`(^|[\\s,])${flag}[\\s,<]`, "m"));
    expect(text).toMatch(/\[possible values: read-only, workspace-write, danger-full-access\]/);
    expect(text).toMatch(
      /If not provided as an argument \(or if `-` is used\),\s+instructions are read from stdin/,
    );
  }, 60_000);

  it("accepts every -c key under --strict-config, and runs the inline hook only with the trust bypass", async () => {
    await withTempDir(async (dir) => {
      const call: ScriptReply = {
        content: [{ type: "tool_use", name: "exec_command", input: { cmd: "echo hi" } }],
      };
      const done: ScriptReply = { content: [{ type: "text", text: "ok" }] };
      const server = await startModelServer([call, done, call, done], { dialect: responsesApi });
      try {
        const env = await codexEnv(dir, server.url);
        const worktree = join(dir, "wt");
        await run("git", ["init", "-q", worktree]);
        const seen = join(dir, "hook-calls.jsonl");
        const plan = getAdapter("codex").plan(
          input("codex", {
            worktree,
            sourceEnv: { ...process.env, ...env },
            policyHookCommand: `cat >> '${seen}'`,
          }),
        );
        const codex = async (args: string[]): Promise<string> => {
          const child = run(
            process.execPath,
            [vendorEntry("codex"), "exec", "--strict-config", ...args.slice(1)],
            {
              env: plan.env,
              cwd: worktree,
            },
          );
          child.child.stdin?.end(plan.stdin);
          return child.then(
            (r) => r.stdout,
            (e: { stdout: string; stderr: string }) => `${e.stdout}${e.stderr}`,
          );
        };
        // Every key is known to this version; the endpoint and the key reached the server; the hook ran.
        expect(await codex(plan.args)).toContain('"type":"turn.completed"');
        expect(server.turns[0]?.headers.authorization).toBe("Bearer sk-openai-test-dummy-key-0000");
        expect(await readFile(seen, "utf8")).toContain('"tool_name":"Bash"');
        // Without --dangerously-bypass-hook-trust Codex skips the inline hook without a word.
        const untrusted = plan.args.filter((a) => a !== "--dangerously-bypass-hook-trust");
        const before = await readFile(seen, "utf8");
        expect(await codex(untrusted)).toContain('"type":"turn.completed"');
        expect(await readFile(seen, "utf8")).toBe(before);
        // --strict-config does refuse a key this version does not know.
        const bogus = [...plan.args.slice(0, -1), "-c", 'model_provider_typo="x"', "-"];
        expect(await codex(bogus)).toContain("unknown configuration field `model_provider_typo`");
        expect(server.errors).toEqual([]);
      } finally {
        await server.close();
      }
    });
  }, 120_000);
});

/** Gemini CLI's settings schema, read from the installed bundle (the chunk that defines it). */
async function geminiSchema(): Promise<Record<string, SchemaNode>> {
  const bundle = join(dirname(vendorEntry("gemini")));
  for (const name of await readdir(bundle)) {
    if (!name.endsWith(".js")) continue;
    if (!(await readFile(join(bundle, name), "utf8")).includes("function getSettingsSchema()")) continue;
    const module = (await import(join(bundle, name))) as { getSettingsSchema(): Record<string, SchemaNode> };
    return module.getSettingsSchema();
  }
  throw new Error(`no settings schema in ${bundle}`);
}

interface SchemaNode {
  type: string;
  properties?: Record<string, SchemaNode>;
  options?: Array<{ value: unknown }>;
}

/** Every leaf path of `value` that the schema does not define (objects without `properties` are leaves). */
function unknownKeys(
  value: Record<string, unknown>,
  schema: Record<string, SchemaNode>,
  path = "",
): string[] {
  return Object.entries(value).flatMap(([key, child]) => {
    const node = schema[key];
    if (!node) return [`${path}${key}`];
    if (node.type === "object" && node.properties && child && typeof child === "object")
      return unknownKeys(child as Record<string, unknown>, node.properties, `${path}${key}.`);
    return [];
  });
}

describe("Gemini CLI flags and settings keys, against the installed @google/gemini-cli", () => {
  it("lists every flag the adapter passes, with the values it uses", async () => {
    const text = await help("gemini", ["--help"]);
    for (const mode of ["default", "plan", "bypassPermissions"]) {
      const plan = getAdapter("gemini").plan(input("gemini", { permissionMode: mode }));
      for (const flag of flagsOf(plan))
        expect(text, flag).toMatch(new RegExp(`(^|[\\s,])${flag}[\\s,]`, "m"));
    }
    expect(text).toMatch(/--approval-mode[\s\S]*\[choices: "default", "auto_edit", "yolo", "plan"\]/);
    expect(text).toMatch(/--output-format[\s\S]*\[choices: "text", "json", "stream-json"\]/);
  }, 60_000);

  it("knows every settings key Handoff writes, and the auth type it selects", async () => {
    const schema = await geminiSchema();
    const settings = geminiSettings(input("gemini"), true);
    expect(unknownKeys(settings, schema)).toEqual([]);
    expect(schema.hooks?.properties?.BeforeTool?.type).toBe("array");
    // The check can fail: a misspelt key is reported.
    expect(unknownKeys({ general: { disableAutoUpdate: true } }, schema)).toEqual([
      "general.disableAutoUpdate",
    ]);
    const bundle = dirname(vendorEntry("gemini"));
    const chunks = await Promise.all(
      (await readdir(bundle)).filter((n) => n.endsWith(".js")).map((n) => readFile(join(bundle, n), "utf8")),
    );
    expect(chunks.some((text) => text.includes('["USE_GEMINI"] = "gemini-api-key"'))).toBe(true);
  }, 60_000);
});
