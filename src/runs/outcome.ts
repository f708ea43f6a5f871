/**
 * How a run ends, whatever ended it: the `run_ended` ledger event, the summary, the run record in
 * Handoff's state, and the outcome returned to the CLI. A run that never started an agent (the job loop
 * already complete) ends through the same code, with nothing to report but its end reason.
 */
import { END_REASON_EXIT_CODE, type Ledger } from "../evidence/index.js";
import { HandoffError } from "../errors.js";
import type { Redactor } from "../redaction/index.js";
import type { AgentTurnReport } from "../runtimes/index.js";
import type { HandoffState } from "../state/handoff-state.js";
import type { Ending } from "./budget.js";
import type { FinalizeResult } from "./finalize.js";
import type { DeniedCommand } from "./iteration.js";
import type { Job } from "./job.js";
import { buildSummary, type StepMarks } from "./summary.js";
import type { RunOutcome } from "./types.js";

/** Everything the end of a run reports. */
export interface RunEnd {
  runId: string;
  agent: string;
  job: Job;
  /** When the run started (ms since the epoch). */
  started: number;
  ending: Ending;
  evidenceDir: string;
  iterations: number;
  marks: StepMarks;
  stopOnDeny: boolean;
  redact(text: string): string;
  /** The run's ledger; a run that never opened one has none. */
  ledger?: Ledger;
  branch?: string;
  worktree?: string;
  lastCheckpoint?: string;
  commits: string[];
  reports: AgentTurnReport[];
  denied: DeniedCommand[];
  finalized?: FinalizeResult;
  timings?: { prepareMs: number; agentMs: number; playbookMs: number };
}

/** The ending of a run that threw: what was already decided stays, anything else is a `fatal_error`. */
export function endingOfError(error: unknown, decided: Ending | undefined, redactor: Redactor): Ending {
  const message = error instanceof Error ? error.message : String(error);
  const ending: Ending = {
    reason: decided?.reason === "done" || !decided ? "fatal_error" : decided.reason,
    message: redactor.redact(message),
  };
  // An unexpected error (not one of Handoff's own) carries a few stack lines to find it by.
  if (!(error instanceof HandoffError) && error instanceof Error && error.stack) {
    ending.message = redactor.redact(`${message}\n${error.stack.split("\n").slice(1, 4).join("\n")}`);
  }
  return ending;
}

/** Writes the end of the run (ledger event, run record; each best effort) and returns its outcome. */
export async function endRun(state: HandoffState, end: RunEnd): Promise<RunOutcome> {
  const { ending, runId, started } = end;
  const endReason = ending.reason;
  const exitCode = END_REASON_EXIT_CODE[endReason];
  const durationMs = Date.now() - started;
  await end.ledger
    ?.append({
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
    iterations: end.iterations,
    marks: end.marks,
    stopOnDeny: end.stopOnDeny,
    runId,
    agent: end.agent,
    issue: typeof end.job.issue === "number" ? end.job.issue : null,
    started,
    durationMs,
    redact: end.redact,
  });
  const where = {
    ...(end.branch ? { branch: end.branch } : {}),
    ...(end.worktree ? { worktree: end.worktree } : {}),
  };
  await state
    .writeRunRecord({
      run_id: runId,
      issue: end.job.issue,
      agent: end.agent,
      ...where,
      started_at: new Date(started).toISOString(),
      ended_at: new Date().toISOString(),
      end_reason: endReason,
      evidence_dir: end.evidenceDir,
      checkpoint: end.lastCheckpoint,
      commits: end.commits,
      denied: end.denied,
      metrics: runMetrics(end.reports),
    })
    .catch(() => undefined);
  return {
    runId,
    endReason,
    ...(ending.message ? { message: ending.message } : {}),
    exitCode,
    ...where,
    iterations: end.iterations,
    ...(end.lastCheckpoint ? { lastCheckpoint: end.lastCheckpoint } : {}),
    commits: end.commits,
    agentReports: end.reports,
    denied: end.denied,
    summary,
    ...(end.ledger ? { ledgerFile: end.ledger.file } : {}),
    evidenceDir: end.evidenceDir,
    ...(end.finalized?.prRequestFile ? { prRequestFile: end.finalized.prRequestFile } : {}),
    merged: end.finalized?.merged ?? false,
    pushed: end.finalized?.pushed ?? [],
    ...(end.timings ? { timings: { ...end.timings, totalMs: Date.now() - started } } : {}),
  };
}

/** The run's resource use: the agent process trees' time, highest peak RSS and total CPU time. */
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
