/**
 * One iteration of the loop: build the prompt, run the agent CLI, record what it did (turns, tool calls
 * with the policy decision, denials), then run the playbook. The caller decides what the outcome means.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AgentDefinition } from "../agents/index.js";
import { runPlaybook, type Playbook, type PlaybookResult } from "../playbooks/index.js";
import { decide, type Decision } from "../policy/index.js";
import type { Ledger } from "../evidence/index.js";
import type { Redactor } from "../redaction/index.js";
import type { HookRecord } from "../policy/hook-record.js";
import { runAgent, type AgentTurnReport, type PermissionDenialReport } from "../runtimes/index.js";
import { readHookRecords, recordOffset, ruleFromReason, takeRecord } from "./hook-records.js";
import type { RunPolicy } from "./setup.js";
import type { RunProgress } from "./types.js";

export interface IterationContext {
  agent: AgentDefinition;
  worktree: string;
  issue: string;
  evidenceDir: string;
  ledger: Ledger;
  redactor: Redactor;
  policy: RunPolicy;
  hookCommand?: string;
  /** Where the hook appends its decisions (`policy hook --record`), when there is a hook. */
  hookRecord?: string;
  /** A private folder for the CLI's settings, outside the worktree (removed when the run ends). */
  agentHome?: string;
  playbook?: Playbook;
  parameters: Record<string, string | number | boolean>;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  onProgress?: (event: RunProgress) => void;
  started: number;
  /** Where the agent's process group is recorded while it runs (see src/process/orphans.ts). */
  groupRecord?: string;
}

/** A denied command with the rule that denied it. */
export interface DeniedCommand {
  command: string;
  rule: string;
  reason: string;
  source: "agent" | "playbook" | "runtime";
}

export interface IterationResult {
  report?: AgentTurnReport;
  playbook?: PlaybookResult;
  denied: DeniedCommand[];
  /** The run's command runtime was refused by the policy before it started. */
  refused?: DeniedCommand;
}

/** The command a tool call ran, for Bash-like tools. */
function commandOf(name: string, input: unknown): string | undefined {
  if (!["Bash", "shell", "run_shell_command"].includes(name)) return undefined;
  const value = (input as { command?: unknown } | undefined)?.command;
  return typeof value === "string" ? value : Array.isArray(value) ? value.join(" ") : undefined;
}

export async function runIteration(
  ctx: IterationContext,
  iteration: number,
  prompt: string,
  limits: { timeoutMs?: number; maxTurns?: number; maxBudgetUsd?: number },
): Promise<IterationResult> {
  const { agent, ledger, redactor } = ctx;
  const runtime = agent.agent.runtime;
  const safePrompt = redactor.redact(prompt);
  const promptFile = join(ctx.evidenceDir, `prompt_${String(iteration).padStart(3, "0")}.md`);
  await writeFile(promptFile, safePrompt);
  await ledger.append({ kind: "prompt_built", iteration, prompt: safePrompt });
  const denied: DeniedCommand[] = [];

  // A command runtime is itself a command: the policy checks its argv (a `sh -c` script is unwrapped).
  if (runtime.adapter === "command" && ctx.policy.base) {
    const { getAdapter } = await import("../runtimes/index.js");
    const plan = getAdapter("command").plan({
      runtime,
      prompt: safePrompt,
      promptFile,
      worktree: ctx.worktree,
      issue: ctx.issue,
      parameters: ctx.parameters,
      sourceEnv: ctx.env,
    });
    // `sh -c SCRIPT` (the shell agent): the script is what the policy judges, like a playbook step.
    const shell =
      /(^|\/)(ba|z|da)?sh$/.test(plan.command) && plan.args[0] === "-c" && plan.args[1] !== undefined;
    const subject = shell ? plan.args[1]! : [plan.command, ...plan.args];
    const decision = await decide(ctx.policy.effective, subject, { cwd: ctx.worktree });
    await ledger.append({
      kind: "tool_call",
      tool: "runtime",
      command: decision.command,
      decision: record(decision),
    });
    if (!decision.allowed) {
      const refused: DeniedCommand = { ...pick(decision), source: "runtime" };
      return { denied: [refused], refused };
    }
  }

  const recordStart = await recordOffset(ctx.hookRecord);
  const report = await runAgent(
    {
      runtime: { ...runtime, env: runtime.env },
      prompt: safePrompt,
      promptFile,
      worktree: ctx.worktree,
      issue: ctx.issue,
      parameters: ctx.parameters,
      allowedTools: agent.agent.behavior.allowedTools,
      permissionMode: agent.agent.behavior.permissionMode,
      maxTurns: limits.maxTurns,
      maxBudgetUsd: limits.maxBudgetUsd,
      policyHookCommand: ctx.hookCommand,
      ...(ctx.agentHome ? { homeDir: ctx.agentHome } : {}),
      sourceEnv: ctx.env,
      sandbox: ctx.policy.base?.sandbox ?? "auto",
    },
    {
      timeoutMs: limits.timeoutMs,
      signal: ctx.signal,
      ...(ctx.groupRecord ? { groupRecord: ctx.groupRecord } : {}),
      onLine: ctx.onProgress ? (line) => ctx.onProgress?.({ kind: "agent", iteration, line }) : undefined,
    },
  );
  await ledger.append({
    kind: "agent_turn",
    iteration,
    output: report.outputTail,
    exit_code: report.exitCode,
    duration_ms: Math.round(report.metrics.durationMs),
    ...(report.inputTokens !== undefined ? { input_tokens: report.inputTokens } : {}),
    ...(report.outputTokens !== undefined ? { output_tokens: report.outputTokens } : {}),
    ...(report.costUsd !== undefined ? { cost_usd: report.costUsd } : {}),
    ...(report.sandboxed !== undefined ? { sandboxed: report.sandboxed } : {}),
    ...(report.sandboxReason ? { sandbox_reason: report.sandboxReason } : {}),
  });
  const records = await readHookRecords(ctx.hookRecord, recordStart);
  const deniedIds = new Map(report.permissionDenials.map((d) => [d.toolUseId, d]));
  for (const call of report.toolCalls) {
    const command = commandOf(call.name, call.input);
    const hook = takeRecord(records, call, command);
    const denial = deniedIds.get(call.id);
    let decision: { allowed: boolean; rule: string; reason: string } | undefined;
    if (hook) {
      // What the hook itself decided and told the CLI.
      decision = fromRecord(hook);
      if (!decision.allowed && !denial) report.permissionDenials.push(denialOf(hook, call.id));
    } else if (command !== undefined && ctx.hookCommand) {
      // The hook decided with the same policy file; deciding again here names the rule in the ledger.
      // (CLIs without Handoff's hook get no decision recorded: the policy did not decide their calls.)
      const fresh = await decide(ctx.policy.effective, command, { cwd: ctx.worktree });
      decision = record(fresh);
      if (denial && fresh.allowed) {
        decision = { allowed: false, rule: ruleFromReason(denial.reason), reason: denial.reason ?? "denied" };
      }
    } else if (denial) {
      decision = { allowed: false, rule: ruleFromReason(denial.reason), reason: denial.reason ?? "denied" };
    }
    await ledger.append({
      kind: "tool_call",
      tool: call.name,
      ...(command ? { command } : {}),
      ...(decision ? { decision } : {}),
    });
    if (denial || (hook && decision?.allowed === false))
      denied.push({
        command: command ?? hook?.file_path ?? call.name,
        rule: decision?.rule ?? "permission-denied",
        reason: decision?.reason ?? "",
        source: "agent",
      });
  }
  // Calls the hook judged that the CLI did not report (Codex omits the ones its hook blocked).
  for (const hook of records) {
    const decision = fromRecord(hook);
    await ledger.append({
      kind: "tool_call",
      tool: hook.tool_name,
      ...(hook.command !== undefined ? { command: hook.command } : {}),
      decision,
    });
    if (decision.allowed) continue;
    if (!deniedIds.has(hook.tool_use_id ?? "")) report.permissionDenials.push(denialOf(hook));
    denied.push({
      command: hook.command ?? hook.file_path ?? hook.tool_name,
      rule: decision.rule,
      reason: decision.reason,
      source: "agent",
    });
  }

  let playbook: PlaybookResult | undefined;
  if (ctx.playbook && !report.killed && !ctx.signal.aborted) {
    playbook = await runPlaybook(ctx.playbook, {
      cwd: ctx.worktree,
      policy: ctx.policy.base,
      env: ctx.env,
      redactor,
      signal: ctx.signal,
      vars: Object.fromEntries(Object.entries(ctx.parameters).map(([k, v]) => [k, String(v)])),
      onStep: (event) =>
        ctx.onProgress?.({
          kind: "step",
          name: event.step.name,
          status: event.phase === "end" ? event.result.status : "running",
          elapsedMs: Date.now() - ctx.started,
        }),
    });
    for (const step of playbook.steps) {
      await ledger.append({
        kind: "step_result",
        step: step.name,
        status: step.status,
        exit_code: step.exitCode,
        attempts: step.attempts,
        duration_ms: Math.round(step.durationMs),
        output: step.outputTail,
        ...(step.sandboxed !== undefined ? { sandboxed: step.sandboxed } : {}),
        ...(step.decision ? { decision: record(step.decision) } : {}),
      });
      if (step.status === "denied" && step.decision) {
        denied.push({ ...pick(step.decision), command: step.decision.command, source: "playbook" });
      }
    }
  }
  return { report, playbook, denied };
}

function fromRecord(hook: HookRecord): { allowed: boolean; rule: string; reason: string } {
  const allowed = hook.decision === "allow";
  return {
    allowed,
    rule: ruleFromReason(hook.reason, allowed ? "hook" : "permission-denied"),
    reason: hook.reason,
  };
}

function denialOf(hook: HookRecord, id?: string): PermissionDenialReport {
  return {
    toolName: hook.tool_name,
    toolUseId: hook.tool_use_id ?? id ?? "",
    input: hook.command !== undefined ? { command: hook.command } : { file_path: hook.file_path },
    reason: hook.reason,
  };
}

function record(decision: Omit<Decision, "command">): { allowed: boolean; rule: string; reason: string } {
  return { allowed: decision.allowed, rule: decision.rule, reason: decision.reason };
}

function pick(decision: Decision): { allowed: boolean; rule: string; reason: string; command: string } {
  return {
    allowed: decision.allowed,
    rule: decision.rule,
    reason: decision.reason,
    command: decision.command,
  };
}
