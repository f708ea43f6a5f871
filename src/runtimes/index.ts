/**
 * Runtime adapters: one per agent CLI. `runAgent` builds the launch plan, runs the real CLI as a child
 * process (pipes or PTY) with its whole process tree measured, and parses what it printed into one
 * `AgentTurnReport`, whichever CLI it was.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { NotFoundError } from "../errors.js";
import { aider } from "./aider.js";
import { claudeCode } from "./claude-code.js";
import { codex } from "./codex.js";
import { command } from "./command.js";
import { gemini } from "./gemini.js";
import { runProcess, type ProcessOptions } from "./process.js";
import {
  ADAPTER_NAMES,
  type AdapterInput,
  type AgentTurnReport,
  type LaunchPlan,
  type RuntimeAdapter,
} from "./types.js";

export * from "./types.js";
export { buildChildEnv, passedSecrets, invalidEnvNames, BASE_ENV_NAMES } from "./env.js";
export { hookSettings } from "./claude-code.js";

const ADAPTERS: Record<string, RuntimeAdapter> = {
  "claude-code": claudeCode,
  codex,
  gemini,
  aider,
  command,
};

export function getAdapter(name: string): RuntimeAdapter {
  const adapter = ADAPTERS[name];
  if (!adapter)
    throw new NotFoundError(`unknown runtime adapter "${name}" (known: ${ADAPTER_NAMES.join(", ")})`);
  return adapter;
}

const TAIL = 4_000;

/** Runs one agent invocation and reports it. Never throws for a failing agent; only for one that cannot start. */
export async function runAgent(input: AdapterInput, options: ProcessOptions = {}): Promise<AgentTurnReport> {
  const adapter = getAdapter(input.runtime.adapter);
  const tools = await toolSandbox(adapter, input);
  const planned = adapter.plan(tools.sandboxed ? { ...input, toolSandbox: true } : input);
  const command = await sandboxCommand(adapter.name, planned, input);
  const { launch } = command;
  const contained = adapter.toolSandbox ? tools : command;
  for (const [file, text] of Object.entries(planned.files ?? {})) {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, text, { mode: 0o600 });
  }
  const result = await runProcess(launch, options);
  const parsed = adapter.parse(result.stdout, result.stderr);
  const exitedBadly = result.exitCode !== 0;
  const combined = result.stderr ? `${result.stdout}\n${result.stderr}` : result.stdout;
  return {
    adapter: adapter.name,
    ...(contained.sandboxed
      ? { sandboxed: true }
      : contained.reason
        ? { sandboxed: false, sandboxReason: contained.reason }
        : {}),
    exitCode: result.exitCode,
    signal: result.signal,
    ...parsed,
    isError: parsed.isError || exitedBadly,
    ...(exitedBadly && !parsed.errorMessage
      ? {
          errorMessage:
            result.exitCode === null
              ? `${launch.command} was ended by ${result.signal ?? "a signal"}`
              : `${launch.command} exited with code ${result.exitCode}`,
        }
      : {}),
    ...(result.killed ? { killed: result.killed } : {}),
    metrics: result.metrics,
    outputTail: combined.slice(-TAIL),
  };
}

/**
 * The `command` runtime runs any program as the agent: under the policy's `sandbox` it runs in bwrap
 * (worktree writable, git config and hooks read-only, private home and /tmp, the prompt file
 * readable). It keeps the network: an agent talks to its model.
 */
async function sandboxCommand(
  name: string,
  launch: LaunchPlan,
  input: AdapterInput,
): Promise<{ launch: LaunchPlan; sandboxed: boolean; reason?: string }> {
  if (name !== "command" || !input.sandbox || launch.tty) return { launch, sandboxed: false };
  const { sandboxed } = await import("../sandbox/bwrap.js");
  const spec = { worktree: input.worktree, cwd: launch.cwd, network: true, readOnly: [input.promptFile] };
  const use = await sandboxed([launch.command, ...launch.args], input.sandbox, spec, launch.env.PATH);
  const [command, ...args] = use.argv;
  return { launch: { ...launch, command, args }, sandboxed: use.sandboxed, reason: use.reason };
}

/**
 * A CLI with a sandbox of its own for its tools (Claude Code) gets it under the policy's `sandbox`
 * when this machine can hold it (bwrap that creates namespaces, and the CLI's extra programs); under
 * `required` a machine that cannot refuses the run (SandboxUnavailable) before the CLI starts.
 */
async function toolSandbox(
  adapter: RuntimeAdapter,
  input: AdapterInput,
): Promise<{ sandboxed: boolean; reason?: string }> {
  if (!adapter.toolSandbox || !input.sandbox) return { sandboxed: false };
  const { vendorSandbox } = await import("../sandbox/bwrap.js");
  const path = input.sourceEnv.PATH ?? "";
  return vendorSandbox(input.sandbox, adapter.toolSandbox.programs, path, input.worktree);
}
