/**
 * The run summary (seed 004 SummaryFile + phase_summary): built from what the loop saw. The job-loop
 * fields are filled by the job loop when one is running; a plain run reports the loop as disabled.
 */
import type { EndReason, JobLoop, RunSummary } from "../evidence/index.js";

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
  jobLoop?: JobLoop;
  jobPayloadSize?: number;
  jobResultPath?: string;
  jobResultWritten?: boolean;
}

const uniq = (values: number[]): number[] => [...new Set(values)].sort((a, b) => a - b);

export function buildSummary(input: SummaryInput): RunSummary {
  const { marks } = input;
  const latest = input.iterations > 0 ? `step_${String(input.iterations).padStart(3, "0")}.json` : null;
  const denied = uniq(marks.denied);
  const fatal = uniq(marks.fatal);
  const stopped = uniq(marks.stopped);
  return {
    phase: input.endReason,
    step: input.iterations,
    done: input.endReason === "done" || input.endReason === "job_loop_complete",
    latest_step: latest,
    step_count: input.iterations,
    phase_summary_exists: true,
    denied_steps: denied,
    fatal_error_steps: fatal,
    stopped_steps: stopped,
    denied_count: denied.length,
    fatal_error_count: fatal.length,
    stopped_count: stopped.length,
    stop_on_deny: input.stopOnDeny,
    end_reason: input.endReason,
    ...(input.message ? { end_message: input.redact(input.message).slice(0, 2_000) } : {}),
    job_loop: input.jobLoop ?? {
      enabled: false,
      max_jobs: 0,
      job_name: "",
      current_job_index: 0,
      completed: false,
    },
    job_result_exists: input.jobResultPath !== undefined,
    job_result_written: input.jobResultWritten ?? false,
    ...(input.jobResultPath ? { job_result_path: input.jobResultPath } : {}),
    job_payload_present: (input.jobPayloadSize ?? 0) > 0,
    job_payload_size: input.jobPayloadSize ?? 0,
    run_id: input.runId,
    agent: input.agent,
    issue: input.issue,
    started_at: new Date(input.started).toISOString(),
    ended_at: new Date(input.started + input.durationMs).toISOString(),
    duration_ms: input.durationMs,
  };
}
