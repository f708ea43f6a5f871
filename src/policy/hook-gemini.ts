// The agent CLIs' hook protocols besides Claude Code's. Codex's PreToolUse hook takes Claude Code's JSON
// unchanged; Gemini CLI's BeforeTool hook has its own tool names and answer format and ignores Claude's
// answer (a Claude-style deny would let the tool run). It imports only hook-protocol.ts, which imports
// nothing: the hook loader's last-resort deny uses this file before anything else is loaded.
import { failedClosed, hookOutput } from "./hook-protocol.js";

/** The answer formats `handoff policy hook --protocol` speaks. */
export const HOOK_PROTOCOLS = ["claude", "gemini"] as const;
export type HookProtocol = (typeof HOOK_PROTOCOLS)[number];

/** The protocol named by `--protocol X` / `--protocol=X` in the hook's argv (default `claude`). */
export function protocolOf(argv: readonly string[]): string {
  const at = argv.indexOf("--protocol");
  if (at >= 0) return argv[at + 1] ?? "";
  const inline = argv.find((arg) => arg.startsWith("--protocol="));
  return inline ? inline.slice("--protocol=".length) : "claude";
}

/** The text a hook prints for an allow/deny decision, in the protocol's own format. */
export function answerText(protocol: string, decision: "allow" | "deny", reason: string): string {
  return protocol === "gemini" ? JSON.stringify({ decision, reason }) : hookOutput(decision, reason);
}

/** The deny answer of a hook that could not decide, in the protocol's own format. */
export function failedClosedIn(protocol: string, why: string): string {
  if (protocol !== "gemini") return failedClosed(why);
  const { hookSpecificOutput } = JSON.parse(failedClosed(why)) as {
    hookSpecificOutput: { permissionDecisionReason: string };
  };
  return answerText("gemini", "deny", hookSpecificOutput.permissionDecisionReason);
}

/**
 * Gemini CLI 0.61 tool names mapped onto the Claude Code tools the policy knows. Their inputs already
 * use Claude's field names (`command`, `file_path`); `dir_path` is where `run_shell_command` runs.
 */
const GEMINI_TOOLS: Record<string, string> = {
  run_shell_command: "Bash",
  write_file: "Write",
  replace: "Edit",
};

/** The Gemini BeforeTool tools Handoff's hook is registered for (the settings file's matcher). */
export const GEMINI_HOOKED_TOOLS = Object.keys(GEMINI_TOOLS);

/**
 * Turns Gemini CLI's BeforeTool input into the Claude-shaped input the policy reads. Unknown tools keep
 * their name (the policy has no opinion on them); a missing or odd field is left for validation to reject.
 */
export function fromGeminiInput(raw: unknown): unknown {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const input = raw as Record<string, unknown>;
  const tool = typeof input.tool_name === "string" ? GEMINI_TOOLS[input.tool_name] : undefined;
  if (!tool) return raw;
  const args = input.tool_input && typeof input.tool_input === "object" ? input.tool_input : {};
  const dir = (args as { dir_path?: unknown }).dir_path;
  const cwd = typeof input.cwd === "string" ? input.cwd : undefined;
  return {
    ...input,
    tool_name: tool,
    // A relative dir_path is relative to the project directory (the hook's cwd field).
    ...(typeof dir === "string" && dir
      ? { cwd: dir.startsWith("/") || !cwd ? dir : `${cwd.replace(/\/$/, "")}/${dir}` }
      : {}),
  };
}
