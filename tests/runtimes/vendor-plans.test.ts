/**
 * How the Codex and Gemini adapters translate an agent's runtime into what each CLI version honours:
 * the endpoint and key by name, Handoff's hook, and settings written only into the private folder.
 */
import { describe, expect, it } from "vitest";
import { getAdapter, type AdapterInput } from "../../src/runtimes/index.js";
import { codexCommand } from "../../src/runtimes/codex.js";

const base = (
  adapter: "codex" | "gemini",
  env: string[],
  sourceEnv: Record<string, string>,
): AdapterInput => ({
  runtime: { adapter, env },
  prompt: "P",
  promptFile: "/e/p.md",
  worktree: "/w",
  issue: "3",
  sourceEnv: { PATH: "/bin", ...sourceEnv },
});

/** The `-c` overrides of a plan, without the shell environment policy every plan carries. */
const endpointConfig = (args: string[]): string[] =>
  args.filter((a, i) => args[i - 1] === "-c" && !a.startsWith("shell_environment_policy="));

describe("codex adapter plan", () => {
  it("turns OPENAI_BASE_URL into a Responses provider whose key is read by name", () => {
    const plan = getAdapter("codex").plan(
      base("codex", ["OPENAI_API_KEY", "OPENAI_BASE_URL"], {
        OPENAI_API_KEY: "sk-secret",
        OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      }),
    );
    expect(endpointConfig(plan.args)).toEqual([
      'model_providers.handoff={name="OpenAI-compatible endpoint (OPENAI_BASE_URL)",base_url="http://127.0.0.1:9/v1",wire_api="responses",env_key="OPENAI_API_KEY",supports_websockets=false}',
      'model_provider="handoff"',
    ]);
    // The key stays in the environment: never in argv.
    expect(plan.args.join(" ")).not.toContain("sk-secret");
    expect(plan.env.OPENAI_API_KEY).toBe("sk-secret");
  });

  it("passes OPENAI_API_KEY alone as CODEX_API_KEY, which the built-in provider reads", () => {
    const plan = getAdapter("codex").plan(base("codex", ["OPENAI_API_KEY"], { OPENAI_API_KEY: "sk-secret" }));
    expect(endpointConfig(plan.args)).toEqual([]);
    expect(plan.env).toMatchObject({ OPENAI_API_KEY: "sk-secret", CODEX_API_KEY: "sk-secret" });
  });

  it("ignores variables the agent does not name, and prefers CODEX_API_KEY as the provider's key", () => {
    const unnamed = getAdapter("codex").plan(
      base("codex", [], { OPENAI_BASE_URL: "http://x/v1", OPENAI_API_KEY: "k" }),
    );
    expect(endpointConfig(unnamed.args)).toEqual([]);
    expect(unnamed.env).toEqual({ PATH: "/bin" });
    const both = getAdapter("codex").plan(
      base("codex", ["CODEX_API_KEY", "OPENAI_BASE_URL"], {
        CODEX_API_KEY: "c",
        OPENAI_BASE_URL: "http://x/v1",
      }),
    );
    expect(both.args.join(" ")).toContain('env_key="CODEX_API_KEY"');
  });

  it("keeps the CLI's credentials out of the commands it runs (shell_environment_policy)", () => {
    const plan = getAdapter("codex").plan(
      base("codex", ["OPENAI_API_KEY", "OPENAI_BASE_URL", "HOME"], { OPENAI_API_KEY: "sk-secret" }),
    );
    expect(plan.args.filter((a) => a.startsWith("shell_environment_policy="))).toEqual([
      'shell_environment_policy={inherit="all",ignore_default_excludes=false,exclude=["OPENAI_API_KEY","OPENAI_BASE_URL","CODEX_API_KEY"]}',
    ]);
  });

  it("passes Handoff's hook inline, TOML-quoted, with the trust bypass that makes Codex run it", () => {
    const hook = `'/usr/bin/node' '/h/cli.js' policy hook --policy '/r/it''s policy.yml'`;
    const plan = getAdapter("codex").plan({ ...base("codex", [], {}), policyHookCommand: hook });
    const at = plan.args.indexOf("--dangerously-bypass-hook-trust");
    expect(at).toBeGreaterThan(0);
    expect(plan.args[at + 1]).toBe("-c");
    expect(plan.args[at + 2]).toBe(
      `hooks.PreToolUse=[{hooks=[{type="command",command=${JSON.stringify(hook)},timeout=30}]}]`,
    );
    expect(plan.files).toBeUndefined();
  });

  it("reports the command the model asked for, not Codex's shell wrapper", () => {
    expect(codexCommand("/bin/bash -lc 'node test.js'")).toBe("node test.js");
    expect(codexCommand(`/bin/bash -lc 'echo '"'"'x'"'"''`)).toBe(`/bin/bash -lc 'echo '"'"'x'"'"''`);
    expect(codexCommand(`/bin/bash -lc 'echo '\\''a b'\\'''`)).toBe("echo 'a b'");
    expect(codexCommand("git status")).toBe("git status");
  });
});

describe("gemini adapter plan", () => {
  it("writes its settings and shell rule into the private home and trusts the worktree", () => {
    const plan = getAdapter("gemini").plan({
      ...base("gemini", ["GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL"], {
        GEMINI_API_KEY: "g-secret",
        GOOGLE_GEMINI_BASE_URL: "http://127.0.0.1:9",
      }),
      policyHookCommand: "hook --protocol gemini",
      homeDir: "/home/run",
    });
    expect(plan.args).toEqual([
      "--output-format",
      "stream-json",
      "--approval-mode",
      "auto_edit",
      "--skip-trust",
      "--policy",
      "/home/run/gemini-policy.toml",
      "-p",
      "Carry out the task described above.",
    ]);
    expect(plan.env).toMatchObject({ GEMINI_CLI_HOME: "/home/run", GEMINI_API_KEY: "g-secret" });
    expect(Object.keys(plan.files ?? {}).sort()).toEqual([
      "/home/run/.gemini/settings.json",
      "/home/run/gemini-policy.toml",
    ]);
    const settings = JSON.parse(plan.files!["/home/run/.gemini/settings.json"]!) as Record<string, unknown>;
    expect(settings).toMatchObject({
      security: { auth: { selectedType: "gemini-api-key" } },
      hooks: {
        BeforeTool: [
          {
            matcher: "run_shell_command|write_file|replace",
            hooks: [{ type: "command", command: "hook --protocol gemini", timeout: 30_000 }],
          },
        ],
      },
    });
    // No value of any variable is written anywhere.
    expect(Object.values(plan.files ?? {}).join("\n")).not.toContain("g-secret");
  });

  it("translates GOOGLE_API_KEY alone, and offers no shell rule without Handoff's hook or in plan mode", () => {
    const plan = getAdapter("gemini").plan({
      ...base("gemini", ["GOOGLE_API_KEY"], { GOOGLE_API_KEY: "g" }),
      homeDir: "/h",
    });
    expect(plan.env.GEMINI_API_KEY).toBe("g");
    expect(plan.args).not.toContain("--policy");
    const planMode = getAdapter("gemini").plan({
      ...base("gemini", [], {}),
      policyHookCommand: "hook",
      permissionMode: "plan",
      homeDir: "/h",
    });
    expect(planMode.args).not.toContain("--policy");
    expect(JSON.parse(planMode.files!["/h/.gemini/settings.json"]!)).not.toHaveProperty("security.auth");
  });

  it("keeps the CLI's credentials out of the commands its tools run (environmentVariableRedaction)", () => {
    const plan = getAdapter("gemini").plan({
      ...base("gemini", ["GOOGLE_API_KEY", "GOOGLE_GEMINI_BASE_URL", "HOME"], { GOOGLE_API_KEY: "g" }),
      homeDir: "/h",
    });
    const settings = JSON.parse(plan.files!["/h/.gemini/settings.json"]!) as {
      security: { environmentVariableRedaction: unknown };
    };
    expect(settings.security.environmentVariableRedaction).toEqual({
      enabled: true,
      blocked: ["GOOGLE_API_KEY", "GOOGLE_GEMINI_BASE_URL", "GEMINI_API_KEY"],
    });
  });
});
