/**
 * Claude Code (`claude`), run non-interactively: `claude -p --output-format stream-json --verbose` with the
 * prompt on stdin. Flags verified against `claude --help` of @anthropic-ai/claude-code 2.1.197 (see
 * docs/runner.md); `--max-turns` is accepted though not listed by `--help`.
 * Handoff's policy decides every Bash command through a PreToolUse hook passed inline with `--settings`,
 * so no settings file is written and nothing in the user's ~/.claude is touched. When the run's sandbox
 * is on and this machine can hold it, the same settings turn on Claude Code's own sandbox for its Bash
 * tool (see `toolSandboxSettings`).
 */
import { buildChildEnv, credentialNames } from "./env.js";
import { asArray, asNumber, asRecord, asString, contentText, jsonLines, shorten } from "./jsonl.js";
import type {
  AdapterInput,
  LaunchPlan,
  ParsedOutput,
  PermissionDenialReport,
  RuntimeAdapter,
  ToolCallReport,
} from "./types.js";

/** The tools whose calls Handoff's policy judges: shell commands, and the file tools' paths. */
export const HOOKED_TOOLS = ["Bash", "Write", "Edit", "MultiEdit", "NotebookEdit"] as const;

/**
 * The settings Claude Code reads from `--settings`: every Bash call and every file write (Write,
 * Edit, MultiEdit, NotebookEdit, checked against write_paths and the protected paths) goes through
 * Handoff's policy hook, and, given `sandbox`, the Bash tool runs in Claude Code's own sandbox.
 */
export function hookSettings(hookCommand: string | undefined, sandbox?: ToolSandbox): string {
  const settings: Record<string, unknown> = {};
  if (hookCommand) {
    const hook = { type: "command", command: hookCommand, timeout: 30 };
    settings.hooks = { PreToolUse: [{ matcher: HOOKED_TOOLS.join("|"), hooks: [hook] }] };
  }
  if (sandbox) settings.sandbox = toolSandboxSettings(sandbox);
  return JSON.stringify(settings);
}

/** What Claude Code's sandbox hides from the Bash tool. */
export interface ToolSandbox {
  /** Environment names the CLI needs (its API key) and its tools must not see. */
  hiddenEnv: readonly string[];
}

/**
 * Claude Code's `sandbox` settings (keys of 2.1.197's settings schema), which hold for its Bash tool when
 * Handoff's policy is fooled: writes only in the worktree (its cwd; the repository's git config and hooks,
 * `.gitmodules` and shell rc files stay read-only even there), no network (an empty domain allow list in a
 * private network namespace), a private pid namespace, and the credentials the CLI was given unset.
 * No command may leave the sandbox (`allowUnsandboxedCommands: false` ignores `dangerouslyDisableSandbox`),
 * being sandboxed never approves a command by itself (Handoff's hook or the agent's allowed tools decide),
 * and the CLI refuses to start rather than run commands unsandboxed (Handoff checked bwrap and socat first).
 *
 * Not `CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1`: in 2.1.197 it replaces this write rule with its own profile
 * for GitHub runners (writable /home, /root, /tmp, /var, /opt, /run, /mnt: the repository's own
 * `.git/config` beside a worktree included) and creates empty mount-point files in the worktree
 * (package.json, .npmrc, .gitmodules, .env…). `credentials.envVars` unsets the same keys without either.
 */
export function toolSandboxSettings(sandbox: ToolSandbox): Record<string, unknown> {
  return {
    enabled: true,
    failIfUnavailable: true,
    allowUnsandboxedCommands: false,
    autoAllowBashIfSandboxed: false,
    network: { allowedDomains: [] },
    credentials: { envVars: sandbox.hiddenEnv.map((name) => ({ name, mode: "deny" })) },
  };
}

function plan(input: AdapterInput): LaunchPlan {
  const { runtime } = input;
  const tty = runtime.tty === true;
  // Under a PTY there is no separate stdin stream to close, so the prompt goes in argv, right after the
  // boolean -p: anywhere later a variadic option such as --allowedTools would swallow it.
  const args = ["-p", ...(tty ? [input.prompt] : [])];
  args.push("--output-format", "stream-json", "--verbose", "--no-session-persistence");
  if (runtime.model) args.push("--model", runtime.model);
  if (input.allowedTools?.length) args.push("--allowedTools", input.allowedTools.join(","));
  if (input.permissionMode) args.push("--permission-mode", input.permissionMode);
  if (input.maxTurns !== undefined) args.push("--max-turns", String(input.maxTurns));
  if (input.maxBudgetUsd !== undefined) args.push("--max-budget-usd", String(input.maxBudgetUsd));
  const sandbox = input.toolSandbox ? { hiddenEnv: credentialNames(runtime.env) } : undefined;
  if (input.policyHookCommand || sandbox)
    args.push("--settings", hookSettings(input.policyHookCommand, sandbox));
  const extra: Record<string, string> = {};
  // Automation wants no auto-updater, telemetry or other background calls unless the agent asks otherwise.
  if (input.sourceEnv.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC === undefined) {
    extra.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = "1";
  }
  return {
    command: runtime.command ?? "claude",
    args,
    env: buildChildEnv(input.sourceEnv, runtime.env, extra),
    cwd: input.worktree,
    tty,
    stdin: tty ? undefined : input.prompt,
  };
}

/** Parses Claude Code's stream-json: assistant/user messages and the final `result` event. */
export function parseClaudeStream(stdout: string): ParsedOutput {
  const toolCalls = new Map<string, ToolCallReport>();
  const resultsById = new Map<string, { text: string; isError: boolean }>();
  const assistantMessages = new Set<string>();
  let result: Record<string, unknown> | undefined;
  let lastText: string | undefined;
  for (const event of jsonLines(stdout)) {
    const message = asRecord(event.message);
    if (event.type === "assistant") {
      const id = asString(message.id);
      if (id) assistantMessages.add(id);
      for (const block of asArray(message.content).map(asRecord)) {
        if (block.type === "tool_use") {
          const toolId = asString(block.id) ?? `tool_${toolCalls.size + 1}`;
          toolCalls.set(toolId, { id: toolId, name: asString(block.name) ?? "?", input: block.input });
        } else if (block.type === "text") {
          lastText = asString(block.text);
        }
      }
    } else if (event.type === "user") {
      for (const block of asArray(message.content).map(asRecord)) {
        if (block.type !== "tool_result") continue;
        const toolId = asString(block.tool_use_id) ?? "";
        const text = contentText(block.content);
        resultsById.set(toolId, { text, isError: block.is_error === true });
        const call = toolCalls.get(toolId);
        if (call) {
          call.result = shorten(text);
          call.isError = block.is_error === true;
        }
      }
    } else if (event.type === "result") {
      result = event;
    }
  }
  const denials: PermissionDenialReport[] = asArray(result?.permission_denials)
    .map(asRecord)
    .map((denial) => {
      const toolUseId = asString(denial.tool_use_id) ?? "";
      // The denial itself carries no reason; the tool_result the CLI sent the model does (the hook's text).
      const reason = resultsById.get(toolUseId)?.text;
      return {
        toolName: asString(denial.tool_name) ?? "?",
        toolUseId,
        input: denial.tool_input,
        ...(reason ? { reason: shorten(reason, 500) } : {}),
      };
    });
  const usage = asRecord(result?.usage);
  const input =
    asNumber(usage.input_tokens) === undefined
      ? undefined
      : (asNumber(usage.input_tokens) ?? 0) +
        (asNumber(usage.cache_creation_input_tokens) ?? 0) +
        (asNumber(usage.cache_read_input_tokens) ?? 0);
  const subtype = asString(result?.subtype);
  const isError = !result || result.is_error === true || (subtype !== undefined && subtype !== "success");
  return {
    turns: asNumber(result?.num_turns) ?? assistantMessages.size,
    toolCalls: [...toolCalls.values()],
    permissionDenials: denials,
    inputTokens: input,
    outputTokens: asNumber(usage.output_tokens),
    costUsd: asNumber(result?.total_cost_usd),
    resultText: asString(result?.result) ?? lastText,
    isError,
    ...(isError ? { errorMessage: claudeError(result, subtype) } : {}),
  };
}

/** Why Claude Code's run failed, in its own words where it gave them (e.g. `API Error: 400 …`). */
function claudeError(result: Record<string, unknown> | undefined, subtype: string | undefined): string {
  if (!result) return "claude printed no result event";
  const text = asString(result.result);
  if (subtype && subtype !== "success")
    return `claude ended with ${subtype}${text ? `: ${shorten(text, 300)}` : ""}`;
  return text ? shorten(text, 500) : "claude reported an error";
}

export const claudeCode: RuntimeAdapter = {
  name: "claude-code",
  hookProtocol: "claude",
  toolSandbox: { programs: ["socat"] },
  plan,
  parse: (stdout) => parseClaudeStream(stdout),
};
