/**
 * OpenAI Codex CLI, run as `codex exec --json --sandbox MODE -C WORKTREE -` with the prompt on stdin.
 * Flags verified against `codex exec --help` of @openai/codex 0.169.0 (docs/runner.md). Codex has no
 * PreToolUse hook: its own sandbox confines commands (read-only / workspace-write / danger-full-access),
 * chosen from the agent's permissionMode; Handoff's policy still governs every playbook step.
 */
import { buildChildEnv } from "./env.js";
import { addTokens, asNumber, asRecord, asString, jsonLines, shorten } from "./jsonl.js";
import type { AdapterInput, LaunchPlan, ParsedOutput, RuntimeAdapter, ToolCallReport } from "./types.js";

/** Claude-style permission modes mapped onto codex sandbox modes; workspace-write unless told otherwise. */
export function codexSandbox(permissionMode: string | undefined): string {
  if (permissionMode === "plan") return "read-only";
  if (permissionMode === "bypassPermissions") return "danger-full-access";
  return "workspace-write";
}

function plan(input: AdapterInput): LaunchPlan {
  const { runtime } = input;
  const args = ["exec", "--json", "--color", "never", "--sandbox", codexSandbox(input.permissionMode)];
  args.push("-C", input.worktree);
  if (runtime.model) args.push("-m", runtime.model);
  args.push("-");
  return {
    command: runtime.command ?? "codex",
    args,
    env: buildChildEnv(input.sourceEnv, runtime.env),
    cwd: input.worktree,
    tty: runtime.tty === true,
    stdin: input.prompt,
  };
}

/** Parses `codex exec --json` events (thread/turn/item events, one JSON object per line). */
export function parseCodexEvents(stdout: string): ParsedOutput {
  const toolCalls: ToolCallReport[] = [];
  let turns = 0;
  let inputTokens: number | undefined;
  let outputTokens: number | undefined;
  let resultText: string | undefined;
  let errorMessage: string | undefined;
  for (const event of jsonLines(stdout)) {
    if (event.type === "turn.completed") {
      turns++;
      const usage = asRecord(event.usage);
      inputTokens = addTokens(inputTokens, asNumber(usage.input_tokens));
      outputTokens = addTokens(outputTokens, asNumber(usage.output_tokens));
    } else if (event.type === "turn.failed") {
      turns++;
      errorMessage = asString(asRecord(event.error).message) ?? "codex turn failed";
    } else if (event.type === "item.completed") {
      const item = asRecord(event.item);
      const id = asString(item.id) ?? `item_${toolCalls.length}`;
      if (item.type === "agent_message") resultText = asString(item.text) ?? resultText;
      else if (item.type === "command_execution") {
        const exit = asNumber(item.exit_code);
        toolCalls.push({
          id,
          name: "shell",
          input: { command: item.command },
          result: shorten(asString(item.aggregated_output) ?? ""),
          isError: item.status === "failed" || (exit !== undefined && exit !== 0),
        });
      } else if (item.type === "file_change") {
        toolCalls.push({
          id,
          name: "file_change",
          input: { changes: item.changes },
          isError: item.status === "failed",
        });
      } else if (item.type === "mcp_tool_call") {
        toolCalls.push({
          id,
          name: `mcp:${asString(item.tool) ?? "?"}`,
          input: item.arguments,
          isError: item.status === "failed",
        });
      }
    }
  }
  return {
    turns,
    toolCalls,
    permissionDenials: [],
    inputTokens,
    outputTokens,
    resultText,
    isError: errorMessage !== undefined,
    ...(errorMessage ? { errorMessage } : {}),
  };
}

export const codex: RuntimeAdapter = { name: "codex", plan, parse: (stdout) => parseCodexEvents(stdout) };
