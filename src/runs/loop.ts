/**
 * The run loop (issue §2): prepare the issue worktree, then iterate agent → playbook → commit → completion
 * check → checkpoint until the agent's completion conditions hold or a budget ends. Every ending goes
 * through the same wrap-up: commit the work in progress, checkpoint, finish the evidence, write the
 * summary. Budgets fail closed; a signal stops the run gracefully; anything unexpected is `fatal_error`.
 */
import { join, resolve } from "node:path";
import { roleCapabilities } from "../agents/index.js";
import { END_REASON_EXIT_CODE, type EndReason } from "../evidence/index.js";
import { ConflictError, HandoffError } from "../errors.js";
import { Git } from "../git/git.js";
import { parsePlaybook, runPlaybook } from "../playbooks/index.js";
import { decide } from "../policy/index.js";
import type { AgentTurnReport } from "../runtimes/index.js";
import { prepareWorktree } from "../worktrees/index.js";
import type { CompletionContext } from "./completion.js";
import { openLedger, type RunLedger } from "./evidence.js";
import { agentEnding, budgetEnding, type Ending, type Usage } from "./budget.js";
import { finalizeRun } from "./finalize.js";
import { agentIdentity, RunRecorder } from "./recorder.js";
import { issueGroupRecord } from "./issue-lock.js";
import { runIteration, type DeniedCommand, type IterationContext } from "./iteration.js";
import { CompletionJudge } from "./judge.js";
import { buildPrompt, feedback } from "./prompt.js";
import {
  evidenceFolder,
  findPlaybook,
  findPolicyFile,
  handoffCliPath,
  newRunId,
  policyHookCommand,
  preparePolicy,
  runRedactor,
} from "./setup.js";
import { buildSummary, type StepMarks } from "./summary.js";
import type { Budgets, FinalizeOptions, RunOptions, RunOutcome } from "./types.js";

const DEFAULT_MAX_ITERATIONS = 10;

/** Runs one job to its end. Never throws for a run that started: the outcome carries the end reason. */
export async function runJob(options: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  const runId = newRunId();
  const env = options.env ?? process.env;
  const { agent, job } = options;
  const agentJson = agent.agent;
  const redactor = runRedactor(env, agentJson.runtime.env);
  const git = new Git(options.repo, { redactor, ...options.gitOptions });
  const capabilities = roleCapabilities(agentJson.role);
  const issueKey = String(job.issue);
  const issueNumber = typeof job.issue === "number" ? job.issue : null;
  const { state, dir: evidenceDir } = await evidenceFolder(git, runId);
  const ledger: RunLedger = await openLedger(join(evidenceDir, "ci_evidence.jsonl"), {
    runId,
    agent: agent.name,
    issue: issueNumber,
    redactor,
  });
  const budgets: Budgets = {
    maxIterations:
      options.budgets?.maxIterations ??
      agentJson.behavior.completionConfig.maxIterations ??
      DEFAULT_MAX_ITERATIONS,
    ...options.budgets,
  };
  budgets.maxIterations = options.budgets?.maxIterations ?? budgets.maxIterations;
  const finalizeOptions: FinalizeOptions = {
    ...agentJson.finalize,
    ...Object.fromEntries(Object.entries(options.finalize ?? {}).filter(([, v]) => v !== undefined)),
  } as FinalizeOptions;
  const internal = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, internal.signal]) : internal.signal;

  const marks: StepMarks = { denied: [], fatal: [], stopped: [] };
  const reports: AgentTurnReport[] = [];
  const deniedAll: DeniedCommand[] = [];
  let iteration = 0;
  let branch: string | undefined;
  let worktree: string | undefined;
  let stopOnDeny = true;
  let ending: Ending | undefined;
  let finalizeResult: Awaited<ReturnType<typeof finalizeRun>> | undefined;
  let wtGit: Git | undefined;

  const timings = { prepareMs: 0, agentMs: 0, playbookMs: 0 };
  const recorder = new RunRecorder({
    agent: agent.name,
    job,
    issueKey,
    runId,
    capabilities,
    ledger,
    redactor,
    evidenceDir,
  });
  const checkpoint = (iter: number, endReason?: EndReason) => recorder.checkpoint(iter, endReason);
  const commit = (iter: number, wip: boolean) => recorder.commit(iter, wip);
  const writeStep = (iter: number, phase: string) => recorder.writeStep(iter, phase);
  try {
    const prepareStarted = performance.now();
    const prepared = await prepareWorktree({
      repo: options.repo,
      issue: issueKey,
      title: job.title,
      ...(options.base ? { base: options.base } : {}),
      remote: finalizeOptions.remote,
      root: agentJson.worktree.root,
      gitOptions: { redactor, ...options.gitOptions },
    });
    timings.prepareMs = performance.now() - prepareStarted;
    branch = prepared.branch;
    worktree = prepared.path;
    wtGit = git.at(worktree);
    recorder.attach(wtGit, branch);
    const repoTop = (await git.worktreeList())[0]?.path ?? (await git.topLevel());
    const policy = await preparePolicy(findPolicyFile(repoTop, options.policy), agentJson.role, evidenceDir);
    stopOnDeny = policy.stopOnDeny;
    const playbook = await findPlaybook(worktree, options.playbook);
    const hookCommand =
      agentJson.runtime.adapter === "claude-code"
        ? policyHookCommand(handoffCliPath(options.handoffCli), policy.file)
        : undefined;
    await ledger.append({
      kind: "run_started",
      mode: options.mode ?? "run",
      branch,
      base_sha: prepared.head,
      worktree,
      runtime: agentJson.runtime.adapter,
      ...(agentJson.runtime.model ? { model: agentJson.runtime.model } : {}),
    });
    const baseSha = await git.revParse(`refs/heads/${prepared.base}`).catch(() => prepared.head);
    await checkpoint(0);

    const judge = new CompletionJudge(agent);
    const parameters = options.parameters ?? {};
    const ctx: IterationContext = {
      agent,
      worktree,
      issue: issueKey,
      evidenceDir,
      ledger,
      redactor,
      policy,
      hookCommand,
      playbook,
      parameters,
      env,
      signal,
      onProgress: options.onProgress,
      started,
      groupRecord: issueGroupRecord(state, issueKey),
    };
    let leftovers: Array<{ title: string; body: string }> = [];
    let turnsUsed = 0;
    let costUsed = 0;
    const jobPayload = options.jobPayload;

    while (!ending) {
      const elapsed = Date.now() - started;
      const usage = (): Usage => ({
        iterations: iteration,
        elapsedMs: elapsed,
        turns: turnsUsed,
        costUsd: costUsed,
        aborted: signal.aborted,
      });
      ending = budgetEnding(budgets, usage());
      if (ending) break;

      iteration++;
      options.onProgress?.({
        kind: "iteration",
        iteration,
        maxIterations: budgets.maxIterations,
        elapsedMs: elapsed,
      });
      const paramLines = Object.entries(parameters).map(([k, v]) => `- ${k}: ${String(v)}`);
      const prompt = buildPrompt({
        systemPrompt:
          agent.systemPrompt + (paramLines.length ? `\n\n## Parameters\n\n${paramLines.join("\n")}` : ""),
        runbook: options.runbook,
        job,
        jobPayload,
        stepPrompt: await judge.stepPrompt(),
        stepId: judge.currentStep,
        iteration,
        maxIterations: budgets.maxIterations,
        leftovers,
        completionHint: judge.hint(),
      });
      const perCallTurns = [
        agentJson.runtime.maxTurns,
        budgets.maxTurns === undefined ? undefined : budgets.maxTurns - turnsUsed,
      ]
        .filter((n): n is number => n !== undefined)
        .reduce<number | undefined>((a, b) => (a === undefined ? b : Math.min(a, b)), undefined);
      const result = await runIteration(ctx, iteration, prompt, {
        timeoutMs: budgets.wallTimeMs === undefined ? undefined : Math.max(1, budgets.wallTimeMs - elapsed),
        maxTurns: perCallTurns,
        maxBudgetUsd: budgets.maxCostUsd === undefined ? undefined : budgets.maxCostUsd - costUsed,
      });
      deniedAll.push(...result.denied);
      const report = result.report;
      timings.playbookMs += result.playbook?.durationMs ?? 0;
      if (report) {
        timings.agentMs += report.metrics.durationMs;
        reports.push(report);
        turnsUsed += report.turns;
        costUsed += report.costUsd ?? 0;
      }
      if (result.denied.length) marks.denied.push(iteration);
      recorder.step(iteration, {
        step: iteration,
        ...(judge.currentStep ? { step_id: judge.currentStep } : {}),
        agent: report
          ? {
              exit_code: report.exitCode,
              turns: report.turns,
              tool_calls: report.toolCalls.map((c) => ({ name: c.name, is_error: c.isError ?? false })),
              permission_denials: report.permissionDenials.length,
              input_tokens: report.inputTokens,
              output_tokens: report.outputTokens,
              cost_usd: report.costUsd,
              metrics: report.metrics,
            }
          : null,
        playbook:
          result.playbook?.steps.map((st) => ({
            name: st.name,
            status: st.status,
            exit_code: st.exitCode,
          })) ?? [],
        denied: result.denied,
      });

      const verdictOfAgent = agentEnding(result, budgets, usage(), stopOnDeny, perCallTurns);
      ending = verdictOfAgent.ending;
      if (verdictOfAgent.outOfTurns)
        leftovers = [{ title: "The agent ran out of turns", body: verdictOfAgent.outOfTurns }];
      if (ending) {
        if (ending.reason === "stopped") marks.stopped.push(iteration);
        if (ending.reason === "fatal_error") marks.fatal.push(iteration);
        break;
      }

      await commit(iteration, false);
      const completionCtx: CompletionContext = {
        agent,
        worktree,
        git: wtGit,
        baseSha,
        resultText: report?.resultText,
        playbookResult: result.playbook,
        runPlaybookFile: async (file) => {
          const { loadPlaybook } = await import("../playbooks/index.js");
          return runPlaybook(await loadPlaybook(resolve(worktree!, file)), {
            cwd: worktree!,
            policy: policy.base,
            env,
            redactor,
            signal,
          });
        },
        runCommand: async (command, timeoutSeconds) => {
          if (policy.base) {
            const decision = await decide(policy.base, command, { cwd: worktree });
            if (!decision.allowed)
              return { ok: false, detail: `denied by ${decision.rule}: ${decision.reason}` };
          }
          const pb = parsePlaybook(
            {
              name: "validator",
              steps: [{ name: "validator", command, timeout_seconds: timeoutSeconds ?? 300 }],
            },
            "validator",
          );
          const run = await runPlaybook(pb, { cwd: worktree!, env, redactor, signal });
          const step = run.steps[0];
          return {
            ok: run.ok,
            detail: step
              ? `${step.status} (exit ${step.exitCode ?? "none"})\n${step.outputTail}`
              : "did not run",
          };
        },
      };
      const verdict = await judge.judge(completionCtx, iteration, budgets.maxIterations);
      recorder.step(iteration, { conditions: verdict.results });
      if (verdict.done) {
        ending = { reason: "done", message: `complete after ${iteration} iteration(s)` };
        await checkpoint(iteration, "done");
        break;
      }
      await checkpoint(iteration);
      if (verdict.exhausted) {
        ending = { reason: "budget_exhausted", message: verdict.exhausted };
        break;
      }
      leftovers = feedback(result.playbook, verdict.results, report);
      await writeStep(iteration, "continue");
    }

    if (ending.reason === "done") {
      finalizeResult = await finalizeRun({
        git,
        repoTop,
        branch,
        base: prepared.base,
        options: finalizeOptions,
        capabilities,
        job,
        runId,
        agent: agent.name,
        identity: agentIdentity(agent.name),
        ledger,
        redact: (text) => redactor.redact(text),
      });
    } else {
      // Graceful wrap-up: keep the work in progress on the branch and tag it.
      await commit(iteration, true);
      await checkpoint(iteration, ending.reason);
    }
    await writeStep(iteration, ending.reason);
  } catch (error) {
    // A refusal before the worktree was touched (a dirty worktree, a diverged branch) is not a run
    // that failed: it changed nothing, and the caller gets the ConflictError (exit 3) as documented.
    if (error instanceof ConflictError && worktree === undefined) throw error;
    const message = error instanceof Error ? error.message : String(error);
    ending = {
      reason: ending?.reason === "done" || !ending ? "fatal_error" : ending.reason,
      message: redactor.redact(message),
    };
    if (ending.reason === "fatal_error" && iteration > 0) marks.fatal.push(iteration);
    if (!(error instanceof HandoffError) && error instanceof Error && error.stack) {
      ending.message = redactor.redact(`${message}\n${error.stack.split("\n").slice(1, 4).join("\n")}`);
    }
    // Best effort: whatever the agent left is kept before the run ends.
    await commit(iteration, true).catch(() => undefined);
    await checkpoint(iteration, ending.reason).catch(() => undefined);
    await writeStep(iteration, ending.reason).catch(() => undefined);
  }

  const endReason = ending.reason;
  const exitCode = END_REASON_EXIT_CODE[endReason];
  const durationMs = Date.now() - started;
  await ledger
    .append({
      kind: "run_ended",
      end_reason: endReason,
      exit_code: exitCode,
      duration_ms: durationMs,
      ...(ending.message ? { message: ending.message } : {}),
    })
    .catch(() => undefined);
  const summary = buildSummary({
    endReason,
    message: ending.message,
    iterations: iteration,
    marks,
    stopOnDeny,
    runId,
    agent: agent.name,
    issue: issueNumber,
    started,
    durationMs,
    redact: (text) => redactor.redact(text),
  });
  await state
    .writeRunRecord({
      run_id: runId,
      issue: job.issue,
      agent: agent.name,
      ...(branch ? { branch } : {}),
      ...(worktree ? { worktree } : {}),
      started_at: new Date(started).toISOString(),
      ended_at: new Date().toISOString(),
      end_reason: endReason,
      evidence_dir: evidenceDir,
      checkpoint: recorder.lastCheckpoint,
      commits: recorder.commits,
      denied: deniedAll,
      metrics: runMetrics(reports),
    })
    .catch(() => undefined);
  return {
    runId,
    endReason,
    ...(ending.message ? { message: ending.message } : {}),
    exitCode,
    ...(branch ? { branch } : {}),
    ...(worktree ? { worktree } : {}),
    iterations: iteration,
    ...(recorder.lastCheckpoint ? { lastCheckpoint: recorder.lastCheckpoint } : {}),
    commits: recorder.commits,
    agentReports: reports,
    denied: deniedAll,
    summary,
    ledgerFile: ledger.file,
    evidenceDir,
    ...(finalizeResult?.prRequestFile ? { prRequestFile: finalizeResult.prRequestFile } : {}),
    merged: finalizeResult?.merged ?? false,
    pushed: finalizeResult?.pushed ?? [],
    timings: { ...timings, totalMs: Date.now() - started },
  };
}

/** Seed 002 metrics of the run: the agent process trees' time, highest peak RSS and total CPU time. */
export function runMetrics(reports: readonly AgentTurnReport[]): {
  agent_duration_ms: number;
  peak_rss_bytes?: number;
  cpu_ms?: number;
} {
  const peaks = reports.map((r) => r.metrics.peakRssBytes).filter((n): n is number => n !== undefined);
  const cpus = reports.map((r) => r.metrics.cpuMs).filter((n): n is number => n !== undefined);
  return {
    agent_duration_ms: Math.round(reports.reduce((sum, r) => sum + r.metrics.durationMs, 0)),
    ...(peaks.length ? { peak_rss_bytes: Math.max(...peaks) } : {}),
    ...(cpus.length ? { cpu_ms: cpus.reduce((a, b) => a + b, 0) } : {}),
  };
}
