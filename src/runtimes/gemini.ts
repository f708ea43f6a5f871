/**
 * Gemini CLI, run headless: the prompt on stdin plus `-p` (which Gemini appends to stdin), with
 * `--output-format stream-json`. Flags and settings keys are checked against the installed
 * @google/gemini-cli 0.61.0 by tests/runtimes/vendor-flags.test.ts (`--help` and its settings schema).
 *
 * Headless Gemini CLI needs three things the shipped agent gets here, all in the run's private folder
 * (never the worktree, never the user's ~/.gemini): a settings file in a private Gemini home
 * (`GEMINI_CLI_HOME`) naming the auth type for an API key and registering Handoff's policy as a
 * `BeforeTool` hook; `--skip-trust`, since Handoff created the worktree; and a `--policy` rule that offers
 * `run_shell_command` (headless `auto_edit` drops it otherwise) while the hook decides each call.
 * (A system settings file would leave ~/.gemini visible, but Gemini skips one whose parent folders are
 * writable by others, such as anything under /tmp.)
 */
import { join } from "node:path";
import { GEMINI_HOOKED_TOOLS } from "../policy/hook-gemini.js";
import { buildChildEnv, credentialNames } from "./env.js";
import { asNumber, asRecord, asString, jsonLines, shorten } from "./jsonl.js";
import type { AdapterInput, LaunchPlan, ParsedOutput, RuntimeAdapter, ToolCallReport } from "./types.js";

export function geminiApprovalMode(permissionMode: string | undefined): string {
  if (permissionMode === "plan") return "plan";
  if (permissionMode === "bypassPermissions") return "yolo";
  return "auto_edit";
}

/** The user settings Handoff gives Gemini CLI for one invocation (in its private `GEMINI_CLI_HOME`). */
export function geminiSettings(input: AdapterInput, apiKey: boolean): Record<string, unknown> {
  return {
    security: {
      ...(apiKey ? { auth: { selectedType: "gemini-api-key" } } : {}),
      // The commands its tools run (run_shell_command) and its hooks do not inherit the credentials the
      // CLI was given: every non-base name of `runtime.env`, the key Handoff may translate, and the
      // names Gemini itself judges secret (`*KEY*`, `*TOKEN*`…).
      environmentVariableRedaction: {
        enabled: true,
        blocked: [...new Set([...credentialNames(input.runtime.env), "GEMINI_API_KEY"])],
      },
    },
    // No self-update and no usage statistics from an unattended run.
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    privacy: { usageStatisticsEnabled: false },
    ...(input.policyHookCommand
      ? {
          hooksConfig: { enabled: true },
          hooks: {
            BeforeTool: [
              {
                matcher: GEMINI_HOOKED_TOOLS.join("|"),
                hooks: [
                  {
                    type: "command",
                    name: "handoff-policy",
                    command: input.policyHookCommand,
                    timeout: 30_000,
                  },
                ],
              },
            ],
          },
        }
      : {}),
  };
}

/** Offers the shell tool in headless auto_edit mode; Handoff's BeforeTool hook judges every call. */
export const GEMINI_SHELL_POLICY = `# Written by Handoff: Handoff's BeforeTool hook decides each shell command.
[[rule]]
toolName = "run_shell_command"
decision = "allow"
priority = 100
modes = ["default", "autoEdit"]
`;

/**
 * The conventional variables translated: Gemini CLI reads `GEMINI_API_KEY` (and `GOOGLE_GEMINI_BASE_URL`)
 * itself; a `GOOGLE_API_KEY` alone becomes `GEMINI_API_KEY` in the child's env.
 */
function keyEnv(input: AdapterInput): { env: Record<string, string>; apiKey: boolean } {
  const names = new Set(input.runtime.env ?? []);
  const value = (name: string): string | undefined =>
    names.has(name) && input.sourceEnv[name] ? input.sourceEnv[name] : undefined;
  if (value("GEMINI_API_KEY")) return { env: {}, apiKey: true };
  const google = value("GOOGLE_API_KEY");
  return google ? { env: { GEMINI_API_KEY: google }, apiKey: true } : { env: {}, apiKey: false };
}

function plan(input: AdapterInput): LaunchPlan {
  const { runtime } = input;
  const mode = geminiApprovalMode(input.permissionMode);
  const args = ["--output-format", "stream-json", "--approval-mode", mode, "--skip-trust"];
  if (runtime.model) args.push("-m", runtime.model);
  const key = keyEnv(input);
  const extra: Record<string, string> = { ...key.env };
  const files: Record<string, string> = {};
  if (input.homeDir) {
    const settings = join(input.homeDir, ".gemini", "settings.json");
    files[settings] = `${JSON.stringify(geminiSettings(input, key.apiKey), null, 2)}\n`;
    extra.GEMINI_CLI_HOME = input.homeDir;
    if (mode === "auto_edit" && input.policyHookCommand) {
      const policy = join(input.homeDir, "gemini-policy.toml");
      files[policy] = GEMINI_SHELL_POLICY;
      args.push("--policy", policy);
    }
  }
  args.push("-p", "Carry out the task described above.");
  return {
    command: runtime.command ?? "gemini",
    args,
    env: buildChildEnv(input.sourceEnv, runtime.env, extra),
    cwd: input.worktree,
    tty: runtime.tty === true,
    stdin: input.prompt,
    files,
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
    }
  }
  const stats = asRecord(result?.stats);
  const failed = !result || result.status === "error";
  if (failed)
    errorMessage = asString(asRecord(result?.error).message) ?? errorMessage ?? "gemini printed no result";
  return {
    turns,
    toolCalls: [...toolCalls.values()],
    // Denials come from the hook's own record (the stream shows them only as failed tool results).
    permissionDenials: [],
    inputTokens: asNumber(stats.input_tokens),
    outputTokens: asNumber(stats.output_tokens),
    resultText: text || undefined,
    isError: failed,
    ...(failed && errorMessage ? { errorMessage } : {}),
  };
}

export const gemini: RuntimeAdapter = {
  name: "gemini",
  hookProtocol: "gemini",
  plan,
  parse: (stdout) => parseGeminiStream(stdout),
};
