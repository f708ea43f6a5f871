// An agent CLI's own tool sandbox (Claude Code's) is decided like Handoff's: on when this machine can
// hold it, recorded when not under `auto`, and refused before the CLI starts under `required`.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hookSettings, runAgent } from "../../src/runtimes/index.js";
import { SandboxUnavailable, vendorSandbox } from "../../src/sandbox/bwrap.js";
import { withTempDir } from "../helpers/temp.js";

describe("vendorSandbox", () => {
  it("is on where bwrap works and the CLI's programs are on PATH, never under off", async () => {
    expect(await vendorSandbox("auto", ["socat"], process.env.PATH ?? "", "/")).toEqual({ sandboxed: true });
    expect(await vendorSandbox("required", ["socat"], process.env.PATH ?? "", "/")).toEqual({
      sandboxed: true,
    });
    expect(await vendorSandbox("off", ["socat"], process.env.PATH ?? "", "/")).toEqual({
      sandboxed: false,
      reason: "sandbox: off",
    });
  });

  it("names the missing program and how to install it; `required` refuses", async () => {
    const auto = await vendorSandbox("auto", ["socat"], "/nonexistent-bin", "/");
    expect(auto.sandboxed).toBe(false);
    expect(auto.reason).toMatch(/needs socat on PATH \(Debian\/Ubuntu: apt-get install -y socat\)/);
    await expect(vendorSandbox("required", ["socat"], "/nonexistent-bin", "/")).rejects.toThrow(
      SandboxUnavailable,
    );
  });

  it("refuses a Claude Code run under `required` before the CLI starts", async () => {
    await withTempDir(async (dir) => {
      const run = runAgent({
        runtime: { adapter: "claude-code", command: join(dir, "never-started"), env: ["ANTHROPIC_API_KEY"] },
        prompt: "p",
        promptFile: join(dir, "prompt.md"),
        worktree: dir,
        issue: "1",
        sourceEnv: { PATH: "/nonexistent-bin", ANTHROPIC_API_KEY: "sk-ant-x" },
        sandbox: "required",
      });
      await expect(run).rejects.toThrow(/sandbox: required, but the agent CLI's sandbox needs socat/);
    });
  });
});

describe("Claude Code's sandbox settings", () => {
  it("confine the Bash tool, hide the CLI's credentials and keep Handoff's hook", () => {
    const settings = JSON.parse(hookSettings("handoff-hook", { hiddenEnv: ["ANTHROPIC_API_KEY"] })) as {
      hooks: { PreToolUse: { matcher: string }[] };
      sandbox: Record<string, unknown>;
    };
    expect(settings.hooks.PreToolUse[0]?.matcher).toBe("Bash|Write|Edit|MultiEdit|NotebookEdit");
    expect(settings.sandbox).toEqual({
      enabled: true,
      failIfUnavailable: true,
      allowUnsandboxedCommands: false,
      autoAllowBashIfSandboxed: false,
      network: { allowedDomains: [] },
      credentials: { envVars: [{ name: "ANTHROPIC_API_KEY", mode: "deny" }] },
    });
    expect(JSON.parse(hookSettings("h"))).not.toHaveProperty("sandbox");
  });
});
