/**
 * OpenAI Codex CLI, run as `codex exec --json --ephemeral --sandbox MODE -C WORKTREE -` with the prompt on
 * stdin. Flags and `-c` config keys are checked against the installed @openai/codex 0.171.0 by
 * tests/runtimes/vendor-flags.test.ts (`--help` and `--strict-config`).
 *
 * Handoff's policy decides every tool call through Codex's PreToolUse hook, which takes Claude Code's hook
 * JSON: the hook is passed inline with `-c hooks.PreToolUse=…`, and `--dangerously-bypass-hook-trust`
 * makes Codex run it (inline hooks are otherwise skipped silently, because nobody "trusted" them; Handoff
 * wrote this one itself). Codex's own sandbox (`--sandbox`) confines what an allowed command can touch.
 */
import { buildChildEnv, credentialNames } from "./env.js";
import { addTokens, asNumber, asRecord, asString, jsonLines, shorten } from "./jsonl.js";
import type { AdapterInput, LaunchPlan, ParsedOutput, RuntimeAdapter, ToolCallReport } from "./types.js";

/** Claude-style permission modes mapped onto codex sandbox modes; workspace-write unless told otherwise. */
export function codexSandbox(permissionMode: string | undefined): string {
  if (permissionMode === "plan") return "read-only";
  if (permissionMode === "bypassPermissions") return "danger-full-access";
  return "workspace-write";
}

/** The model provider Handoff defines when the agent names `OPENAI_BASE_URL`. */
export const CODEX_PROVIDER = "handoff";

/** A TOML basic string: JSON's escapes (`\"`, `\\`, `\n`, `\uXXXX`) are valid TOML too. */
function toml(value: string): string {
  return JSON.stringify(value);
}

/** The inline hook config: every tool call (shell and apply_patch alike) goes through Handoff's policy. */
export function codexHookConfig(hookCommand: string): string {
  return `hooks.PreToolUse=[{hooks=[{type="command",command=${toml(hookCommand)},timeout=30}]}]`;
}

/**
 * The `-c` overrides and env that point Codex at the endpoint the agent's `runtime.env` names. Codex 0.171
 * ignores `OPENAI_BASE_URL` and sends no key from `OPENAI_API_KEY` alone, so the conventional names are
 * translated: a base URL becomes a `model_providers` entry (Responses API over HTTP, the key read from
 * the env var by name: `env_key`), and a key without a base URL becomes `CODEX_API_KEY` in the child's
 * env. Only names reach argv; values stay in the environment.
 */
export function codexEndpoint(input: AdapterInput): { args: string[]; env: Record<string, string> } {
  const names = new Set(input.runtime.env ?? []);
  const value = (name: string): string | undefined =>
    names.has(name) && input.sourceEnv[name] ? input.sourceEnv[name] : undefined;
  const base = value("OPENAI_BASE_URL");
  const keyName = ["CODEX_API_KEY", "OPENAI_API_KEY"].find((name) => value(name) !== undefined);
  if (base) {
    const entry = [
      `name=${toml("OpenAI-compatible endpoint (OPENAI_BASE_URL)")}`,
      `base_url=${toml(base)}`,
      `wire_api="responses"`,
      ...(keyName ? [`env_key=${toml(keyName)}`] : []),
      // Plain HTTP endpoints (proxies, gateways, test servers) rarely speak Codex's WebSocket transport.
      "supports_websockets=false",
    ];
    return {
      args: [
        "-c",
        `model_providers.${CODEX_PROVIDER}={${entry.join(",")}}`,
        "-c",
        `model_provider="${CODEX_PROVIDER}"`,
      ],
      env: {},
    };
  }
  const key = value("OPENAI_API_KEY");
  return { args: [], env: keyName === "OPENAI_API_KEY" && key ? { CODEX_API_KEY: key } : {} };
}

/**
 * Codex's `shell_environment_policy`: the commands it runs do not inherit the CLI's credentials — every
 * non-base name of `runtime.env`, `CODEX_API_KEY` (which Handoff may set), and Codex's default
 * excludes (`*KEY*`, `*SECRET*`, `*TOKEN*`), which 0.171 otherwise ignores.
 */
export function codexShellEnvironment(names: readonly string[] = []): string {
  const hidden = [...new Set([...credentialNames(names), "CODEX_API_KEY"])].map(toml).join(",");
  return `shell_environment_policy={inherit="all",ignore_default_excludes=false,exclude=[${hidden}]}`;
}

function plan(input: AdapterInput): LaunchPlan {
  const { runtime } = input;
  const args = ["exec", "--json", "--color", "never", "--ephemeral"];
  args.push("--sandbox", codexSandbox(input.permissionMode), "-C", input.worktree);
  if (runtime.model) args.push("-m", runtime.model);
  const endpoint = codexEndpoint(input);
  args.push(...endpoint.args);
  if (input.policyHookCommand) {
    args.push("--dangerously-bypass-hook-trust", "-c", codexHookConfig(input.policyHookCommand));
  }
  args.push("-c", codexShellEnvironment(runtime.env));
  args.push("-");
  return {
    command: runtime.command ?? "codex",
    args,
    env: buildChildEnv(input.sourceEnv, runtime.env, endpoint.env),
    cwd: input.worktree,
    tty: runtime.tty === true,
    stdin: input.prompt,
  };
}

/**
 * The command the model asked for. Codex reports it wrapped in the shell it ran it with
 * (`/bin/bash -lc 'node test.js'`); the hook and the policy saw the inner command.
 */
export function codexCommand(reported: string): string {
  const match = /^\S*\/(?:ba|z|da)?sh -l?c '((?:[^']|'\\'')*)'$/.exec(reported);
  return match ? match[1]!.replaceAll("'\\''", "'") : reported;
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
        const command = asString(item.command);
        toolCalls.push({
          id,
          name: "shell",
          input: { command: command === undefined ? item.command : codexCommand(command) },
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
    // Codex leaves calls its hook blocked out of this output: the hook records them (see runs/hook-record).
    permissionDenials: [],
    inputTokens,
    outputTokens,
    resultText,
    isError: errorMessage !== undefined,
    ...(errorMessage ? { errorMessage } : {}),
  };
}

export const codex: RuntimeAdapter = {
  name: "codex",
  hookProtocol: "claude",
  plan,
  parse: (stdout) => parseCodexEvents(stdout),
};
