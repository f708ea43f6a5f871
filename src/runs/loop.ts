/**
 * The run loop (issue §2): prepare the issue worktree, then iterate agent → playbook → commit → completion
 * check → checkpoint until the agent's completion conditions hold or a budget ends. Every ending goes
 * through the same wrap-up: commit the work in progress, checkpoint, finish the evidence, write the
 * summary. Budgets fail closed; a signal stops the run gracefully; anything unexpected is `fatal_error`.
 */
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { roleCapabilities, type AgentDefinition, type RoleCapabilities } from "../agents/index.js";
import { ConflictError } from "../errors.js";
import { Ledger } from "../evidence/index.js";
import { Git } from "../git/git.js";
import type { Redactor } from "../redaction/index.js";
import { getAdapter, type AgentTurnReport } from "../runtimes/index.js";
import type { HandoffState } from "../state/handoff-state.js";
import { prepareWorktree } from "../worktrees/index.js";
import { agentEnding, budgetEnding, callLimits, runBudgets, type Ending, type Usage } from "./budget.js";
import { completionContext } from "./completion.js";
import { finalizeOptions, finalizeRun, type FinalizeResult } from "./finalize.js";
import { issueGroupRecord } from "./issue-lock.js";
import { runIteration, type DeniedCommand, type IterationContext } from "./iteration.js";
import { CompletionJudge } from "./judge.js";
import { endingOfError, endRun } from "./outcome.js";
import { buildPrompt, feedback } from "./prompt.js";
import { agentIdentity, RunRecorder } from "./recorder.js";
import {
  evidenceFolder,
  findPlaybook,
  findPolicyFile,
  newRunId,
  policyHookCommand,
  preparePolicy,
  runRedactor,
} from "./setup.js";
import type { StepMarks } from "./summary.js";
import type { Budgets, FinalizeOptions, RunOptions, RunOutcome } from "./types.js";

/** What the run has done so far: the wrap-up reports it, whichever way the run ends. */
interface Progress {
  iteration: number;
  branch?: string;
  worktree?: string;
  /** The base branch the run's branch started from. */
  base?: string;
  stopOnDeny: boolean;
  marks: StepMarks;
  reports: AgentTurnReport[];
  denied: DeniedCommand[];
  timings: { prepareMs: number; agentMs: number; playbookMs: number };
}

/** The fixed facts of one run, known before its worktree exists. */
interface Run {
  options: RunOptions;
  agent: AgentDefinition;
  runId: string;
  started: number;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  git: Git;
  capabilities: RoleCapabilities;
  state: HandoffState;
  evidenceDir: string;
  /**
   * The CLI's private folder (its settings, whatever it keeps there, and the hook's raw record): outside
   * the worktree and the evidence, removed when the run ends.
   */
  agentHome: string;
  ledger: Ledger;
  recorder: RunRecorder;
  budgets: Budgets;
  finalize: FinalizeOptions;
  signal: AbortSignal;
}

/** Runs one job to its end. Never throws for a run that started: the outcome carries the end reason. */
export async function runJob(options: RunOptions): Promise<RunOutcome> {
  const run = await openRun(options);
  const { agent, recorder, redactor } = run;
  const progress: Progress = {
    iteration: 0,
    stopOnDeny: true,
    marks: { denied: [], fatal: [], stopped: [] },
    reports: [],
    denied: [],
    timings: { prepareMs: 0, agentMs: 0, playbookMs: 0 },
  };
  let ending: Ending | undefined;
  let finalized: FinalizeResult | undefined;
  try {
    const prepared = await prepare(run, progress);
    ending = await iterate(run, prepared, progress);
    if (ending.reason === "done") finalized = await finalize(run, prepared);
    else {
      // Graceful wrap-up: keep the work in progress on the branch and tag it.
      await recorder.commit(progress.iteration, true);
      await recorder.checkpoint(progress.iteration, ending.reason);
    }
    await recorder.writeStep(progress.iteration, ending.reason);
  } catch (error) {
    // A refusal before the worktree was touched (a dirty worktree, a diverged branch) is not a run
    // that failed: it changed nothing, and the caller gets the ConflictError (exit 3) as documented.
    if (error instanceof ConflictError && progress.worktree === undefined) throw error;
    ending = endingOfError(error, ending, redactor);
    if (ending.reason === "fatal_error" && progress.iteration > 0)
      progress.marks.fatal.push(progress.iteration);
    // Best effort: whatever the agent left is kept before the run ends.
    await recorder.commit(progress.iteration, true).catch(() => undefined);
    await recorder.checkpoint(progress.iteration, ending.reason).catch(() => undefined);
    await recorder.writeStep(progress.iteration, ending.reason).catch(() => undefined);
  }
  await rm(run.agentHome, { recursive: true, force: true }).catch(() => undefined);
  return endRun(run.state, {
    runId: run.runId,
    agent: agent.name,
    job: options.job,
    started: run.started,
    ending,
    evidenceDir: run.evidenceDir,
    ledger: run.ledger,
    iterations: progress.iteration,
    marks: progress.marks,
    stopOnDeny: progress.stopOnDeny,
    branch: progress.branch,
    worktree: progress.worktree,
    base: progress.base,
    lastCheckpoint: recorder.lastCheckpoint,
    commits: recorder.commits,
    reports: progress.reports,
    denied: progress.denied,
    finalized,
    timings: progress.timings,
    redact: (text) => redactor.redact(text),
  });
}

/** Opens the run: its id, redactor, evidence folder and ledger, budgets and finalize options. */
async function openRun(options: RunOptions): Promise<Run> {
  const { agent, job } = options;
  const runId = newRunId();
  const started = Date.now();
  const env = options.env ?? process.env;
  const redactor = runRedactor(env, agent.agent.runtime.env);
  for (const name of options.secretEnv ?? []) {
    const value = env[name];
    if (value) redactor.addSecret(value);
  }
  const git = new Git(options.repo, { redactor, ...options.gitOptions });
  const capabilities = roleCapabilities(agent.agent.role);
  const { state, dir: evidenceDir } = await evidenceFolder(git, runId);
  const ledger = new Ledger(join(evidenceDir, "ci_evidence.jsonl"), {
    runId,
    agent: agent.name,
    issue: typeof job.issue === "number" ? job.issue : null,
    redactor,
  });
  const recorder = new RunRecorder({
    agent: agent.name,
    job,
    issueKey: String(job.issue),
    runId,
    capabilities,
    ledger,
    redactor,
    evidenceDir,
  });
  return {
    options,
    agent,
    runId,
    started,
    env,
    redactor,
    git,
    capabilities,
    state,
    evidenceDir,
    agentHome: join(state.dir, "agent-home", runId),
    ledger,
    recorder,
    budgets: runBudgets(options.budgets, agent.agent.behavior.completionConfig.maxIterations),
    finalize: finalizeOptions(agent.agent.finalize, options.finalize),
    signal: options.signal ?? new AbortController().signal,
  };
}

/** A done run: merge, push or request the pull request, as finalize says and the role allows. */
function finalize(run: Run, prepared: Prepared): Promise<FinalizeResult> {
  return finalizeRun({
    git: run.git,
    repoTop: prepared.repoTop,
    branch: prepared.branch,
    base: prepared.base,
    options: run.finalize,
    capabilities: run.capabilities,
    job: run.options.job,
    runId: run.runId,
    agent: run.agent.name,
    identity: agentIdentity(run.agent.name),
    ledger: run.ledger,
    redact: (text) => run.redactor.redact(text),
    secrets: run.redactor,
  });
}

/** The run's worktree and everything found in it, ready for the first iteration. */
interface Prepared {
  branch: string;
  base: string;
  repoTop: string;
  /** The base the branch started from (for `commits-ahead`). */
  baseSha: string;
  worktreeGit: Git;
  ctx: IterationContext;
}

/** Prepares the worktree, the policy, the playbook and the hook; records the start and checkpoint 0. */
async function prepare(run: Run, progress: Progress): Promise<Prepared> {
  const { options, agent, git, ledger, recorder, redactor } = run;
  const agentJson = agent.agent;
  const prepareStarted = performance.now();
  const prepared = await prepareWorktree({
    repo: options.repo,
    issue: String(options.job.issue),
    title: options.job.title,
    ...(options.base ? { base: options.base } : {}),
    remote: run.finalize.remote,
    root: agentJson.worktree.root,
    ...(options.inPlace ? { inPlace: true } : {}),
    gitOptions: { redactor, ...options.gitOptions },
  });
  progress.timings.prepareMs = performance.now() - prepareStarted;
  const { branch, path: worktree } = prepared;
  progress.branch = branch;
  progress.worktree = worktree;
  progress.base = prepared.base;
  const worktreeGit = git.at(worktree);
  recorder.attach(worktreeGit, branch);
  const repoTop = await git.mainWorktree();
  const { evidenceDir } = run;
  const policy = await preparePolicy(findPolicyFile(repoTop, options.policy), agentJson.role, evidenceDir);
  recorder.attach(worktreeGit, branch, policy.base.protected_paths);
  progress.stopOnDeny = policy.stopOnDeny;
  const playbook = await findPlaybook(worktree, options.playbook);
  // The hook's raw record holds commands as the agent typed them, secrets included: it stays in the
  // private folder and reaches the evidence only through the redacting ledger.
  await mkdir(run.agentHome, { recursive: true, mode: 0o700 });
  const hookRecord = join(run.agentHome, "hook_decisions.jsonl");
  const protocol = getAdapter(agentJson.runtime.adapter).hookProtocol;
  const hookCommand = protocol
    ? policyHookCommand(resolve(options.handoffCli), policy.file, { protocol, record: hookRecord })
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
  await recorder.checkpoint(0);
  const ctx: IterationContext = {
    agent,
    worktree,
    issue: String(options.job.issue),
    evidenceDir,
    ledger,
    redactor,
    policy,
    hookCommand,
    ...(hookCommand ? { hookRecord } : {}),
    agentHome: run.agentHome,
    playbook,
    parameters: options.parameters ?? {},
    env: run.env,
    signal: run.signal,
    onProgress: options.onProgress,
    started: run.started,
    groupRecord: issueGroupRecord(run.state, String(options.job.issue)),
  };
  return { branch, base: prepared.base, repoTop, baseSha, worktreeGit, ctx };
}

/** Iterates until an ending: a budget, the agent's outcome, or the completion judge's verdict. */
async function iterate(run: Run, prepared: Prepared, progress: Progress): Promise<Ending> {
  const { options, agent, budgets, recorder, started } = run;
  const { ctx } = prepared;
  const judge = new CompletionJudge(agent);
  let leftovers: Array<{ title: string; body: string }> = [];
  let turns = 0;
  let costUsd = 0;
  for (;;) {
    const elapsedMs = Date.now() - started;
    const usage = (): Usage => ({
      iterations: progress.iteration,
      elapsedMs,
      turns,
      costUsd,
      aborted: run.signal.aborted,
    });
    const spent = budgetEnding(budgets, usage());
    if (spent) return spent;

    const iteration = ++progress.iteration;
    const { maxIterations } = budgets;
    options.onProgress?.({ kind: "iteration", iteration, maxIterations, elapsedMs });
    const prompt = buildPrompt({
      systemPrompt: agent.systemPrompt,
      parameters: ctx.parameters,
      runbook: options.runbook,
      job: options.job,
      jobPayload: options.jobPayload,
      stepPrompt: await judge.stepPrompt(),
      stepId: judge.currentStep,
      iteration,
      maxIterations,
      leftovers,
      completionHint: judge.hint(),
    });
    const limits = callLimits(budgets, usage(), agent.agent.runtime.maxTurns);
    const result = await runIteration(ctx, iteration, prompt, limits);
    progress.denied.push(...result.denied);
    const report = result.report;
    progress.timings.playbookMs += result.playbook?.durationMs ?? 0;
    if (report) {
      progress.timings.agentMs += report.metrics.durationMs;
      progress.reports.push(report);
      turns += report.turns;
      costUsd += report.costUsd ?? 0;
    }
    if (result.denied.length) progress.marks.denied.push(iteration);
    recorder.iteration(iteration, judge.currentStep, result);

    const afterAgent = agentEnding(result, budgets, usage(), progress.stopOnDeny, limits.maxTurns);
    if (afterAgent.outOfTurns)
      leftovers = [{ title: "The agent ran out of turns", body: afterAgent.outOfTurns }];
    if (afterAgent.ending) {
      if (afterAgent.ending.reason === "stopped") progress.marks.stopped.push(iteration);
      if (afterAgent.ending.reason === "fatal_error") progress.marks.fatal.push(iteration);
      return afterAgent.ending;
    }

    await recorder.commit(iteration, false);
    const validators = completionContext(
      {
        agent,
        worktree: ctx.worktree,
        git: prepared.worktreeGit,
        baseSha: prepared.baseSha,
        policy: ctx.policy.base,
        env: run.env,
        redactor: run.redactor,
        signal: run.signal,
      },
      { resultText: report?.resultText, playbookResult: result.playbook },
    );
    const verdict = await judge.judge(validators, iteration, budgets.maxIterations);
    recorder.step(iteration, { conditions: verdict.results });
    if (verdict.done) {
      await recorder.checkpoint(iteration, "done");
      return { reason: "done", message: `complete after ${iteration} iteration(s)` };
    }
    await recorder.checkpoint(iteration);
    if (verdict.exhausted) return { reason: "budget_exhausted", message: verdict.exhausted };
    leftovers = feedback(result.playbook, verdict.results, report, result.denied);
    await recorder.writeStep(iteration, "continue");
  }
}
