// `handoff policy check|hook|schema` through the real built CLI, as child processes.
import { spawn } from "node:child_process";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { withTempDir } from "../helpers/temp.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const READONLY = join(ROOT, "policies/readonly-dev.yaml");
const BUILD = join(ROOT, "build");

/** A PreToolUse payload as Claude Code sends it. */
function payload(tool_name: string, tool_input: Record<string, unknown>, cwd = ROOT): string {
  return JSON.stringify({
    session_id: "0d6a7b1e-3c2f-4a51-9d7e-5f1b2c3d4e5f",
    transcript_path: "/tmp/claude/projects/handoff/0d6a7b1e.jsonl",
    cwd,
    permission_mode: "default",
    hook_event_name: "PreToolUse",
    tool_name,
    tool_input,
    tool_use_id: "toolu_01ABCDEF",
  });
}

interface HookAnswer {
  hookSpecificOutput: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string };
}
const answerOf = (stdout: string): HookAnswer => JSON.parse(stdout) as HookAnswer;

describe("handoff policy check", () => {
  it("exits 0 when allowed and 1 with the reason when denied", async () => {
    const allowed = await runCli(["policy", "check", "--policy", READONLY, "--", "git status"]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("allowed (allow[0])");
    const denied = await runCli([
      "policy",
      "check",
      "--policy",
      READONLY,
      "--cwd",
      ROOT,
      "--",
      "ls; rm -rf x",
    ]);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain("denied (default_action)");
    expect(denied.stdout).toContain("rm -rf x");
  });

  it("prints the decision as JSON", async () => {
    const result = await runCli([
      "policy",
      "check",
      "--json",
      "--policy",
      READONLY,
      "--",
      "cat x > /etc/passwd",
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      allowed: false,
      rule: "write-path",
      command: "cat x > /etc/passwd",
    });
  });

  it("exits 2 naming the file for a bad policy", async () => {
    await withTempDir(async (dir) => {
      const bad = join(dir, "bad.yaml");
      await writeFile(bad, "default_action: sometimes\n");
      const result = await runCli(["policy", "check", "--policy", bad, "--", "ls"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${bad}: $.default_action`);
      const missing = await runCli(["policy", "check", "--policy", join(dir, "nope.yaml"), "--", "ls"]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("cannot read policy");
    });
  });

  it("publishes the policy schema through handoff schema policy too", async () => {
    const result = await runCli(["schema", "policy"]);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as { title: string; properties: Record<string, unknown> };
    expect(schema.title).toBe("Handoff policy");
    expect(schema.properties).toHaveProperty("stop_on_deny");
  });

  it("prints the JSON Schema of policy files", async () => {
    const result = await runCli(["policy", "schema"]);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as { properties: Record<string, unknown> };
    expect(schema.properties).toHaveProperty("deny_if_contains");
    expect(schema.properties).toHaveProperty("write_paths");
  });
});

describe("handoff policy hook (Claude Code PreToolUse)", () => {
  it("denies a Bash command with the deny JSON and exit 0", async () => {
    const result = await runCli(["policy", "hook", "--policy", READONLY], {
      input: payload("Bash", { command: "git status && git push origin main", description: "Push" }),
    });
    expect(result.code).toBe(0);
    const answer = answerOf(result.stdout);
    expect(answer.hookSpecificOutput.hookEventName).toBe("PreToolUse");
    expect(answer.hookSpecificOutput.permissionDecision).toBe("deny");
    expect(answer.hookSpecificOutput.permissionDecisionReason).toContain("git push origin main");
  });

  it("allows an allowed Bash command, or says nothing with --quiet-allow", async () => {
    const input = payload("Bash", { command: "cat README.md | head -5" });
    const result = await runCli(["policy", "hook", "--policy", READONLY], { input });
    expect(result.code).toBe(0);
    expect(answerOf(result.stdout).hookSpecificOutput.permissionDecision).toBe("allow");
    const quiet = await runCli(["policy", "hook", "--policy", READONLY, "--quiet-allow"], { input });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe("");
  });

  it("checks file tools against write_paths and leaves other tools alone", async () => {
    await withTempDir(async (dir) => {
      const env = { CLAUDE_PROJECT_DIR: dir };
      const outside = await runCli(["policy", "hook", "--policy", READONLY], {
        env,
        input: payload("Write", { file_path: "/etc/cron.d/x", content: "x" }, dir),
      });
      expect(answerOf(outside.stdout).hookSpecificOutput.permissionDecision).toBe("deny");
      const inside = await runCli(["policy", "hook", "--policy", READONLY], {
        env,
        input: payload("Edit", { file_path: join(dir, "src/a.ts"), old_string: "a", new_string: "b" }, dir),
      });
      expect(inside).toMatchObject({ code: 0, stdout: "" });
      const read = await runCli(["policy", "hook", "--policy", READONLY], {
        env,
        input: payload("Read", { file_path: "/etc/hostname" }, dir),
      });
      expect(read).toMatchObject({ code: 0, stdout: "" });
    });
  });

  it("denies every file tool a protected path inside the worktree, however it is spelled", async () => {
    await withTempDir(async (dir) => {
      const env = { CLAUDE_PROJECT_DIR: dir };
      const cases: [string, Record<string, unknown>][] = [
        ["Write", { file_path: join(dir, ".github/workflows/ci.yml"), content: "x" }],
        [
          "Edit",
          { file_path: ".github/workflows/../workflows/release.yml", old_string: "a", new_string: "b" },
        ],
        ["MultiEdit", { file_path: join(dir, ".handoff/policy.yaml"), edits: [] }],
        ["NotebookEdit", { notebook_path: join(dir, "agents/coder/agent.json"), new_source: "x" }],
        ["Write", { file_path: join(dir, ".GitHub/Workflows/x.yml"), content: "x" }],
        ["Write", { file_path: "./.gitmodules", content: "x" }],
      ];
      for (const [tool, input] of cases) {
        const result = await runCli(["policy", "hook", "--policy", READONLY], {
          env,
          input: payload(tool, input, dir),
        });
        const answer = answerOf(result.stdout).hookSpecificOutput;
        expect(answer.permissionDecision, `${tool} ${JSON.stringify(input)}`).toBe("deny");
        expect(answer.permissionDecisionReason).toContain("protected-path");
      }
    });
  });

  it("resolves write_paths against the project, not the cwd the agent moved to", async () => {
    await withTempDir(async (dir) => {
      const moved = payload("Bash", { command: "ls > x" }, "/tmp");
      const result = await runCli(["policy", "hook", "--policy", READONLY, "--root", dir], { input: moved });
      expect(answerOf(result.stdout).hookSpecificOutput.permissionDecision).toBe("deny");
      expect(answerOf(result.stdout).hookSpecificOutput.permissionDecisionReason).toContain("/tmp/x");
      const home = payload("Bash", { command: "ls > x" }, dir);
      const ok = await runCli(["policy", "hook", "--policy", READONLY, "--root", dir], { input: home });
      expect(answerOf(ok.stdout).hookSpecificOutput.permissionDecision).toBe("allow");
    });
  });

  it.each([
    ["malformed stdin", ["--policy", READONLY], "{not json", "malformed JSON"],
    ["empty stdin", ["--policy", READONLY], "", "malformed JSON"],
    ["a payload without tool_name", ["--policy", READONLY], '{"tool_input":{}}', "$.tool_name"],
    ["a Bash call without a command", ["--policy", READONLY], payload("Bash", {}), "command"],
    [
      "an unreadable policy",
      ["--policy", "/nonexistent/policy.yaml"],
      payload("Bash", { command: "ls" }),
      "ENOENT",
    ],
    ["no --policy", [], payload("Bash", { command: "ls" }), "--policy"],
  ])("fails closed on %s", async (_name, args, input, why) => {
    const result = await runCli(["policy", "hook", ...args], { input });
    expect(result.code).toBe(0);
    const answer = answerOf(result.stdout);
    expect(answer.hookSpecificOutput.permissionDecision).toBe("deny");
    expect(answer.hookSpecificOutput.permissionDecisionReason).toContain("failed closed");
    expect(answer.hookSpecificOutput.permissionDecisionReason).toContain(why);
  });

  it("fails closed on an invalid policy file", async () => {
    await withTempDir(async (dir) => {
      const bad = join(dir, "bad.json");
      await writeFile(bad, '{"allow": [{"program": 1}]}');
      const result = await runCli(["policy", "hook", "--policy", bad], {
        input: payload("Bash", { command: "ls" }),
      });
      expect(answerOf(result.stdout).hookSpecificOutput.permissionDecisionReason).toContain(
        "$.allow[0].program",
      );
    });
  });

  it("fails closed when stdin never ends (internal timer)", async () => {
    const child = spawn(
      process.execPath,
      [join(BUILD, "cli.js"), "policy", "hook", "--policy", READONLY, "--timeout", "300"],
      {
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    child.stdin.write('{"tool_name":"Bash",');
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(answerOf(stdout).hookSpecificOutput.permissionDecisionReason).toContain("no answer within 300 ms");
  });

  it("answers correctly when the code cache is corrupt or missing", async () => {
    await withTempDir(async (dir) => {
      await mkdir(join(dir, "build"));
      for (const f of ["policy-hook.js", "policy-hook-core.cjs"])
        await copyFile(join(BUILD, f), join(dir, "build", f));
      await writeFile(join(dir, "build", "policy-hook-core.cjs.v8cache"), "not a code cache");
      const input = payload("Bash", { command: "ls; rm -rf /" });
      const run = (file: string) =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, [file, "--policy", READONLY], {
            stdio: ["pipe", "pipe", "inherit"],
          });
          let out = "";
          child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
          child.on("error", reject);
          child.on("close", () => resolve(out));
          child.stdin.end(input);
        });
      expect(
        answerOf(await run(join(dir, "build", "policy-hook.js"))).hookSpecificOutput.permissionDecision,
      ).toBe("deny");
    });
  });

  it("fails closed when the hook bundle itself is broken", async () => {
    await withTempDir(async (dir) => {
      await copyFile(join(BUILD, "policy-hook.js"), join(dir, "policy-hook.js")); // no core next to it
      const child = spawn(process.execPath, [join(dir, "policy-hook.js"), "--policy", READONLY], {
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stdin.end(payload("Bash", { command: "ls" }));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code).toBe(0);
      expect(answerOf(stdout).hookSpecificOutput.permissionDecision).toBe("deny");
      expect(answerOf(stdout).hookSpecificOutput.permissionDecisionReason).toContain("policy-hook-core.cjs");
    });
  });

  it("fails closed when stdin never ends on the resident-process path", async () => {
    const args = [
      join(BUILD, "cli.js"),
      "policy",
      "hook",
      "--policy",
      READONLY,
      "--socket",
      "/nonexistent.sock",
    ];
    const child = spawn(process.execPath, [...args, "--timeout", "200"], { stdio: ["pipe", "pipe", "pipe"] });
    child.stdin.write("{");
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(answerOf(stdout).hookSpecificOutput.permissionDecision).toBe("deny");
  });

  it("shows help for the hook through the full CLI", async () => {
    const result = await runCli(["policy", "hook", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("PreToolUse");
  });
});
