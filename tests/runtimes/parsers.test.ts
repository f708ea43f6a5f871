import { describe, expect, it } from "vitest";
import { parseAiderOutput } from "../../src/runtimes/aider.js";
import { parseClaudeStream } from "../../src/runtimes/claude-code.js";
import { codexSandbox, parseCodexEvents } from "../../src/runtimes/codex.js";
import { geminiApprovalMode, parseGeminiStream } from "../../src/runtimes/gemini.js";
import { getAdapter } from "../../src/runtimes/index.js";

const lines = (...events: unknown[]): string => events.map((e) => JSON.stringify(e)).join("\n");

describe("output parsers", () => {
  it("codex --json: commands, message, usage over turns, failure", () => {
    const out = lines(
      { type: "thread.started", thread_id: "t1" },
      { type: "turn.started" },
      {
        type: "item.completed",
        item: {
          id: "item_0",
          type: "command_execution",
          command: "npm test",
          aggregated_output: "ok",
          exit_code: 0,
          status: "completed",
        },
      },
      {
        type: "item.completed",
        item: {
          id: "item_1",
          type: "command_execution",
          command: "false",
          aggregated_output: "",
          exit_code: 1,
          status: "failed",
        },
      },
      { type: "item.completed", item: { id: "item_2", type: "agent_message", text: "All done" } },
      { type: "turn.completed", usage: { input_tokens: 100, cached_input_tokens: 20, output_tokens: 7 } },
    );
    const parsed = parseCodexEvents(`banner line\n${out}`);
    expect(parsed).toMatchObject({
      turns: 1,
      inputTokens: 100,
      outputTokens: 7,
      resultText: "All done",
      isError: false,
    });
    expect(parsed.toolCalls.map((c) => [c.input, c.isError])).toEqual([
      [{ command: "npm test" }, false],
      [{ command: "false" }, true],
    ]);
    const failed = parseCodexEvents(
      lines({ type: "turn.started" }, { type: "turn.failed", error: { message: "quota" } }),
    );
    expect(failed).toMatchObject({ isError: true, errorMessage: "quota" });
    expect([codexSandbox("plan"), codexSandbox(undefined), codexSandbox("bypassPermissions")]).toEqual([
      "read-only",
      "workspace-write",
      "danger-full-access",
    ]);
  });

  it("gemini stream-json: deltas joined, tools matched, stats read", () => {
    const out = lines(
      { type: "init", session_id: "s", model: "gemini-x" },
      { type: "message", role: "user", content: "task" },
      { type: "message", role: "assistant", content: "Look", delta: true },
      { type: "message", role: "assistant", content: "ing.", delta: true },
      { type: "tool_use", tool_name: "run_shell_command", tool_id: "c1", parameters: { command: "ls" } },
      { type: "tool_result", tool_id: "c1", status: "error", error: { type: "x", message: "not approved" } },
      {
        type: "result",
        status: "success",
        stats: { total_tokens: 30, input_tokens: 20, output_tokens: 10, tool_calls: 1 },
      },
    );
    const parsed = parseGeminiStream(out);
    expect(parsed).toMatchObject({
      turns: 1,
      resultText: "Looking.",
      inputTokens: 20,
      outputTokens: 10,
      isError: false,
    });
    expect(parsed.toolCalls).toEqual([
      {
        id: "c1",
        name: "run_shell_command",
        input: { command: "ls" },
        result: "not approved",
        isError: true,
      },
    ]);
    expect(parseGeminiStream("").isError).toBe(true);
    expect(geminiApprovalMode("acceptEdits")).toBe("auto_edit");
  });

  it("claude stream-json without a result event is an error", () => {
    const parsed = parseClaudeStream(lines({ type: "system", subtype: "init" }));
    expect(parsed).toMatchObject({ isError: true, errorMessage: "claude printed no result event" });
  });

  it("aider token and cost lines", () => {
    const parsed = parseAiderOutput(
      "Tokens: 1.5k sent, 250 received. Cost: $0.01 message, $0.02 session.\nTokens: 500 sent, 1k received. Cost: $0.02 message, $0.04 session.",
    );
    expect(parsed).toMatchObject({ turns: 2, inputTokens: 2000, outputTokens: 1250, costUsd: 0.03 });
  });

  it("builds argv for every vendor adapter from the verified flags", () => {
    const base = {
      prompt: "P",
      promptFile: "/tmp/p.md",
      worktree: "/w",
      issue: "3",
      sourceEnv: { PATH: "/bin", KEY: "k" },
    };
    const claude = getAdapter("claude-code").plan({
      ...base,
      runtime: { adapter: "claude-code", model: "m", env: ["KEY"] },
      allowedTools: ["Read", "Bash"],
      permissionMode: "acceptEdits",
      maxTurns: 5,
      policyHookCommand: "hook",
    });
    expect(claude.args).toEqual([
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--no-session-persistence",
      "--model",
      "m",
      "--allowedTools",
      "Read,Bash",
      "--permission-mode",
      "acceptEdits",
      "--max-turns",
      "5",
      "--settings",
      JSON.stringify({
        hooks: {
          PreToolUse: [
            {
              matcher: "Bash|Write|Edit|MultiEdit|NotebookEdit",
              hooks: [{ type: "command", command: "hook", timeout: 30 }],
            },
          ],
        },
      }),
    ]);
    expect(claude.stdin).toBe("P");
    expect(claude.env).toEqual({
      PATH: "/bin",
      KEY: "k",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    });
    expect(getAdapter("codex").plan({ ...base, runtime: { adapter: "codex", model: "o" } }).args).toEqual([
      "exec",
      "--json",
      "--color",
      "never",
      "--ephemeral",
      "--sandbox",
      "workspace-write",
      "-C",
      "/w",
      "-m",
      "o",
      "-c",
      'shell_environment_policy={inherit="all",ignore_default_excludes=false,exclude=["CODEX_API_KEY"]}',
      "-",
    ]);
    expect(
      getAdapter("gemini").plan({ ...base, runtime: { adapter: "gemini" }, permissionMode: "plan" }).args,
    ).toEqual([
      "--output-format",
      "stream-json",
      "--approval-mode",
      "plan",
      "--skip-trust",
      "-p",
      "Carry out the task described above.",
    ]);
    expect(getAdapter("aider").plan({ ...base, runtime: { adapter: "aider", model: "a" } }).args).toEqual([
      "--yes-always",
      "--no-auto-commits",
      "--no-pretty",
      "--no-stream",
      "--no-check-update",
      "--model",
      "a",
      "--message-file",
      "/tmp/p.md",
    ]);
    expect(() => getAdapter("nope")).toThrow(/unknown runtime adapter "nope"/);
  });
});
