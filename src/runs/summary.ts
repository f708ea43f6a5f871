/**
 * The run summary (JSON and one TXT line): built from what the loop saw. It reports the
 * job loop as disabled; `runMode` fills the job-loop fields in once the loop's state is updated.
 */
import {
  buildSummary as buildEvidenceSummary,
  type EndReason,
  type RunSummary,
  type StepOutcome,
} from "../evidence/index.js";

/** Iterations (1-based) that ended in a denial, a fatal error or a stop. */
export interface StepMarks {
  denied: number[];
  fatal: number[];
  stopped: number[];
}

export interface SummaryInput {
  endReason: EndReason;
  message?: string;
  iterations: number;
  marks: StepMarks;
  stopOnDeny: boolean;
  runId: string;
  agent: string;
  issue: number | null;
  started: number;
  durationMs: number;
  redact(text: string): string;
}

/**
 * The run's summary, through the evidence module's `buildSummary`: the loop knows its end reason, and
 * each iteration becomes one step outcome so that deny, fatal_error and stopped stay apart.
 */
export function buildSummary(input: SummaryInput): RunSummary {
  const { marks } = input;
  const steps: StepOutcome[] = Array.from({ length: input.iterations }, (_, i) => {
    const step = i + 1;
    const phase = marks.fatal.includes(step) ? "fatal_error" : marks.denied.includes(step) ? "deny" : "code";
    return {
      step,
      phase,
      stopped: marks.stopped.includes(step),
      done: step === input.iterations && input.endReason === "done",
    };
  });
  return buildEvidenceSummary({
    steps,
    endReason: input.endReason,
    stopOnDeny: input.stopOnDeny,
    ...(input.message ? { endMessage: input.redact(input.message).slice(0, 2_000) } : {}),
    runId: input.runId,
    agent: input.agent,
    issue: input.issue,
    startedAt: new Date(input.started),
    endedAt: new Date(input.started + input.durationMs),
  });
}
