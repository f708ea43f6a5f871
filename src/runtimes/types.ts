/**
 * The shapes shared by every runtime adapter: what an adapter is given (the agent's runtime block plus the
 * run's prompt and worktree), what it returns (a launch plan: argv and env, no shell), and the common
 * report it parses the CLI's output into.
 */
import type { SandboxMode } from "../sandbox/bwrap.js";

import type { z } from "zod";
import { ADAPTERS, type RuntimeSchema } from "../agents/schema.js";

/** The adapters Handoff ships, one per agent CLI (agent.json's `runtime.adapter`). */
export const ADAPTER_NAMES = ADAPTERS;
export type AdapterName = (typeof ADAPTERS)[number];

/**
 * The `runtime` block of an agent definition as the adapters read it (before defaults: a caller may leave
 * `env` out). Only names of environment variables are configured; their values come from the environment
 * Handoff itself was started with.
 */
export type RuntimeConfig = z.input<typeof RuntimeSchema>;

/** Everything an adapter needs to build one agent invocation. */
export interface AdapterInput {
  runtime: RuntimeConfig;
  /** The whole prompt text (system prompt + runbook + job + leftovers). */
  prompt: string;
  /** The same prompt written to a file outside the worktree (for CLIs that read it from a file). */
  promptFile: string;
  /** The issue-scoped worktree the agent works in (its cwd). */
  worktree: string;
  /** Issue number or job id, for `{issue}`. */
  issue: string;
  /** Agent parameters, for `{<parameter>}` in a command template. */
  parameters?: Readonly<Record<string, string | number | boolean>>;
  /** Tools the agent may use (Claude Code `--allowedTools`). */
  allowedTools?: readonly string[];
  /** Claude Code `--permission-mode` (`plan`, `acceptEdits`, `bypassPermissions`, …). */
  permissionMode?: string;
  /** Upper bound of model turns inside this one invocation (the run's remaining turn budget). */
  maxTurns?: number;
  /** Upper bound of spend for this invocation in USD, where the CLI can enforce one. */
  maxBudgetUsd?: number;
  /**
   * The shell command the CLI runs as its tool hook (e.g. `'node' '/…/cli.js' policy hook --policy '/…'`),
   * in the adapter's `hookProtocol`. Absent: no hook, the agent's own permission mode decides.
   */
  policyHookCommand?: string;
  /**
   * A private folder for this invocation, outside the worktree, where an adapter may write the CLI's
   * settings (never a credential). Absent: the adapter writes nothing.
   */
  homeDir?: string;
  /** The environment Handoff runs in; only the names in `runtime.env` (and a base set) are passed on. */
  sourceEnv: NodeJS.ProcessEnv;
  /**
   * The OS sandbox for the `command` runtime (the policy's `sandbox`). Vendor CLIs use their own
   * sandboxes instead (Claude Code's `sandbox` settings, Codex `--sandbox`). Absent: not sandboxed.
   */
  sandbox?: SandboxMode;
  /**
   * Turn on the CLI's own sandbox for the tools it runs (Claude Code's `sandbox` settings). `runAgent`
   * sets it from `sandbox` and what this machine has (see `RuntimeAdapter.toolSandbox`).
   */
  toolSandbox?: boolean;
}

/** What to spawn: no shell is involved; `args` reach the program as they are. */
export interface LaunchPlan {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  tty: boolean;
  /** Text written to the child's stdin (then closed); pipes only. */
  stdin?: string;
  /** Files written (mode 0600) before the CLI starts: its settings in `homeDir`. Never a credential. */
  files?: Record<string, string>;
}

/** One tool call the agent made, as the CLI reported it. */
export interface ToolCallReport {
  id: string;
  name: string;
  input: unknown;
  /** The tool result's text, shortened; absent when the CLI did not report one. */
  result?: string;
  isError?: boolean;
}

/** A tool call the agent was not allowed to make (Claude Code `permission_denials`). */
export interface PermissionDenialReport {
  toolName: string;
  toolUseId: string;
  input: unknown;
  /** The reason the hook or permission system gave (the hook names the policy rule). */
  reason?: string;
}

/** Resource use of the agent's whole process tree. Absent figures could not be measured on this OS. */
export interface ProcessMetrics {
  durationMs: number;
  /** Highest sum of resident set sizes of the tree seen while sampling. */
  peakRssBytes?: number;
  /** User + system CPU time of the tree (kernel accounting of reaped children, plus live samples). */
  cpuMs?: number;
  /** How many samples the peak RSS is based on. */
  samples: number;
}

/** The common report every adapter's output is parsed into. */
export interface AgentTurnReport {
  adapter: AdapterName;
  /**
   * Whether the agent was contained by an OS sandbox: the whole process in Handoff's bwrap (the
   * `command` runtime), or the tools it runs in the CLI's own sandbox (Claude Code's Bash tool).
   */
  sandboxed?: boolean;
  /** Why not, when the policy's `sandbox` asked for one (`sandbox: off`, a missing program…). */
  sandboxReason?: string;
  exitCode: number | null;
  signal: string | null;
  /** Model turns the CLI reported (Claude `num_turns`), or assistant messages counted. */
  turns: number;
  toolCalls: ToolCallReport[];
  permissionDenials: PermissionDenialReport[];
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  /** The agent's final answer text. */
  resultText?: string;
  /** The CLI said its run failed (Claude `is_error`, codex `turn.failed`) or exited non-zero. */
  isError: boolean;
  /** Why it failed, when the CLI said. */
  errorMessage?: string;
  /** The run was ended by Handoff (timeout or stop), not by the agent. */
  killed?: "timeout" | "stopped";
  metrics: ProcessMetrics;
  /** The last part of the raw output, for evidence (not redacted here: the ledger redacts). */
  outputTail: string;
}

/** The parsed part of a report (everything the CLI's output tells). */
export type ParsedOutput = Pick<
  AgentTurnReport,
  | "turns"
  | "toolCalls"
  | "permissionDenials"
  | "inputTokens"
  | "outputTokens"
  | "costUsd"
  | "resultText"
  | "isError"
  | "errorMessage"
>;

/** One agent CLI: how to launch it and how to read what it printed. */
export interface RuntimeAdapter {
  name: AdapterName;
  /**
   * The `handoff policy hook --protocol` this CLI's tool hook speaks; absent when the CLI has no hook
   * Handoff can plug into (its commands are then not judged one by one).
   */
  hookProtocol?: "claude" | "gemini";
  /**
   * The CLI has a sandbox of its own for the tools it runs, built on bubblewrap plus these programs
   * (Claude Code: `socat`, its network proxy): `runAgent` turns it on under the policy's `sandbox`.
   */
  toolSandbox?: { programs: readonly string[] };
  /** Builds argv and env; never writes a credential anywhere. */
  plan(input: AdapterInput): LaunchPlan;
  /** Parses the complete stdout (and stderr) of one invocation. */
  parse(stdout: string, stderr: string): ParsedOutput;
}
