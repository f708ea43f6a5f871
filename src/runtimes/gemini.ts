/**
 * Gemini CLI, run headless: the prompt on stdin plus `-p` (which Gemini appends to stdin), with
 * `--output-format stream-json`. Flags verified against `gemini --help` of @google/gemini-cli 0.61.0.
 * Approval: `plan` → plan (read-only), `bypassPermissions` → yolo, otherwise auto_edit (edits are
 * approved, shell commands are not — Gemini has no hook Handoff's policy plugs into here).
 */
import { buildChildEnv } from "./env.js";
import { asNumber, asRecord, asString, jsonLines, shorten } from "./jsonl.js";
import type { AdapterInput, LaunchPlan, ParsedOutput, RuntimeAdapter, ToolCallReport } from "./types.js";

export function geminiApprovalMode(permissionMode: string | undefined): string {
  if (permissionMode === "plan") return "plan";
  if (permissionMode === "bypassPermissions") return "yolo";
  return "auto_edit";
}

function plan(input: AdapterInput): LaunchPlan {
  const { runtime } = input;
  const args = [
    "--output-format",
    "stream-json",
    "--approval-mode",
    geminiApprovalMode(input.permissionMode),
  ];
  if (runtime.model) args.push("-m", runtime.model);
  args.push("-p", "Carry out the task described above.");
  return {
    command: runtime.command ?? "gemini",
    args,
    env: buildChildEnv(input.sourceEnv, runtime.env),
    cwd: input.worktree,
    tty: runtime.tty === true,
    stdin: input.prompt,
  };
}

/** Parses Gemini's stream-json events: init, message, tool_use, tool_result, error, result. */
export function parseGeminiStream(stdout: string): ParsedOutput {
  const toolCalls = new Map<string, ToolCallReport>();
  let text = "";
  let turns = 0;
  let inAssistant = false;
  let result: Record<string, unknown> | undefined;
  let errorMessage: string | undefined;
  for (const event of jsonLines(stdout)) {
    if (event.type === "message" && event.role === "assistant") {
      if (!inAssistant) turns++;
      inAssistant = true;
      text += asString(event.content) ?? "";
      continue;
    }
    inAssistant = false;
    if (event.type === "tool_use") {
      const id = asString(event.tool_id) ?? `tool_${toolCalls.size}`;
      toolCalls.set(id, { id, name: asString(event.tool_name) ?? "?", input: event.parameters });
    } else if (event.type === "tool_result") {
      const call = toolCalls.get(asString(event.tool_id) ?? "");
      if (call) {
        call.result = shorten(asString(event.output) ?? asString(asRecord(event.error).message) ?? "");
        call.isError = event.status === "error";
      }
    } else if (event.type === "error") {
      errorMessage = asString(event.message) ?? errorMessage;
    } else if (event.type === "result") {
      result = event;
      text = text || "";
    }
  }
  const stats = asRecord(result?.stats);
  const failed = !result || result.status === "error";
  if (failed)
    errorMessage = asString(asRecord(result?.error).message) ?? errorMessage ?? "gemini printed no result";
  return {
    turns,
    toolCalls: [...toolCalls.values()],
    permissionDenials: [],
    inputTokens: asNumber(stats.input_tokens),
    outputTokens: asNumber(stats.output_tokens),
    resultText: text || undefined,
    isError: failed,
    ...(failed && errorMessage ? { errorMessage } : {}),
  };
}

export const gemini: RuntimeAdapter = { name: "gemini", plan, parse: (stdout) => parseGeminiStream(stdout) };
