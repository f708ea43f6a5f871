import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { Redactor } from "../redaction/index.js";
import { writeFileAtomic } from "../util/fs.js";
import { parseWith, readJsonFile } from "../util/validate.js";
import { type EndReason, type JobLoop, type Phase, RunSummary } from "./types.js";

/** What one step (iteration) of a run came to, as the step log records it. */
export interface StepOutcome {
  /** 1-based step number. */
  step: number;
  /** What the step did (`plan`, `code`, `test`, …), or `deny` / `fatal_error` when it ended that way. */
  phase: string;
  /** The run was halted during this step (stop_on_deny, signal, /stop, timeout). */
  stopped?: boolean;
  /** This step completed the job. */
  done?: boolean;
  /** The step log's file name, e.g. `step_003.json`. */
  file?: string;
}

/** The phase shown in the summary: `running` until the run ends, then its end reason. */
export function derivePhase(ended: boolean, endReason: EndReason): Phase {
  return ended ? endReason : "running";
}

/** Inputs of `buildSummary` beyond the steps. */
export interface SummaryInput {
  steps: readonly StepOutcome[];
  /** Why the run ended, as the runner decided it (src/runs/budget.ts, the loop and the job loop). */
  endReason: EndReason;
  stopOnDeny: boolean;
  endMessage?: string;
  /** False while the run is still going (phase `running`). Default true. */
  ended?: boolean;
  phaseSummaryExists?: boolean;
  jobLoop?: JobLoop;
  jobResult?: { path: string; exists: boolean; written: boolean };
  jobPayload?: { present: boolean; size: number };
  runId?: string;
  agent?: string;
  issue?: number | null;
  startedAt?: Date;
  endedAt?: Date;
}

const NO_JOB_LOOP: JobLoop = {
  enabled: false,
  max_jobs: 0,
  job_name: "",
  current_job_index: 0,
  completed: false,
};

/** Builds the run summary from step outcomes; deny, fatal_error and stopped stay apart. */
export function buildSummary(input: SummaryInput): RunSummary {
  const steps = [...input.steps].sort((a, b) => a.step - b.step);
  const last = steps.at(-1);
  const { endReason } = input;
  const denied = steps.filter((s) => s.phase === "deny").map((s) => s.step);
  const fatal = steps.filter((s) => s.phase === "fatal_error").map((s) => s.step);
  const stopped = steps.filter((s) => s.stopped).map((s) => s.step);
  const summary: RunSummary = {
    phase: derivePhase(input.ended ?? true, endReason),
    step: last?.step ?? 0,
    done: endReason === "done" || endReason === "job_loop_complete",
    latest_step: last ? (last.file ?? `step_${String(last.step).padStart(3, "0")}.json`) : null,
    step_count: steps.length,
    phase_summary_exists: input.phaseSummaryExists ?? true,
    denied_steps: denied,
    fatal_error_steps: fatal,
    stopped_steps: stopped,
    denied_count: denied.length,
    fatal_error_count: fatal.length,
    stopped_count: stopped.length,
    stop_on_deny: input.stopOnDeny,
    end_reason: endReason,
    job_loop: input.jobLoop ?? NO_JOB_LOOP,
    job_result_exists: input.jobResult?.exists ?? false,
    job_result_written: input.jobResult?.written ?? false,
    job_payload_present: input.jobPayload?.present ?? false,
    job_payload_size: input.jobPayload?.size ?? 0,
  };
  if (input.endMessage !== undefined) summary.end_message = input.endMessage;
  if (input.jobResult?.exists) summary.job_result_path = input.jobResult.path;
  if (input.runId !== undefined) summary.run_id = input.runId;
  if (input.agent !== undefined) summary.agent = input.agent;
  if (input.issue !== undefined) summary.issue = input.issue;
  if (input.startedAt) summary.started_at = input.startedAt.toISOString();
  if (input.endedAt) summary.ended_at = input.endedAt.toISOString();
  if (input.startedAt && input.endedAt)
    summary.duration_ms = input.endedAt.getTime() - input.startedAt.getTime();
  return summary;
}

/** A value in the TXT line: bare when it is one word, JSON-quoted otherwise. */
function word(value: string): string {
  return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
}

const list = (steps: readonly number[]): string => (steps.length ? steps.join(",") : "none");

/**
 * The one-line TXT form that shell tooling greps, with the phase summary fields:
 * `phase=done step=1 done=True latest_step=step_001.json step_count=1 phase_summary=exists job_result=none
 * job_loop=disabled job_payload=none job_result_written=false job_payload_size=0 denied_steps=none
 * denied_count=0 fatal_error_steps=none fatal_error_count=0 stopped_steps=none stopped_count=0
 * stop_on_deny=true end_reason=done`.
 */
export function formatSummaryLine(s: RunSummary): string {
  const parts = [
    `phase=${s.phase}`,
    `step=${s.step}`,
    `done=${s.done ? "True" : "False"}`,
    `latest_step=${word(s.latest_step ?? "none")}`,
    `step_count=${s.step_count}`,
    `phase_summary=${s.phase_summary_exists ? "exists" : "none"}`,
    `job_result=${s.job_result_exists ? "exists" : "none"}`,
  ];
  if (s.job_result_exists && s.job_result_path) parts.push(`job_result_path=${word(s.job_result_path)}`);
  parts.push(`job_loop=${s.job_loop.enabled ? "enabled" : "disabled"}`);
  if (s.job_loop.enabled) {
    parts.push(
      `job_name=${word(s.job_loop.job_name || "none")}`,
      `job_index=${s.job_loop.current_job_index}`,
      `max_jobs=${s.job_loop.max_jobs}`,
    );
  }
  parts.push(
    `job_payload=${s.job_payload_present ? "present" : "none"}`,
    `job_result_written=${s.job_result_written}`,
    `job_payload_size=${s.job_payload_size}`,
    `denied_steps=${list(s.denied_steps)}`,
    `denied_count=${s.denied_count}`,
    `fatal_error_steps=${list(s.fatal_error_steps)}`,
    `fatal_error_count=${s.fatal_error_count}`,
    `stopped_steps=${list(s.stopped_steps)}`,
    `stopped_count=${s.stopped_count}`,
    `stop_on_deny=${s.stop_on_deny}`,
    `end_reason=${s.end_reason}`,
  );
  if (s.input_tokens !== undefined) parts.push(`input_tokens=${s.input_tokens}`);
  if (s.output_tokens !== undefined) parts.push(`output_tokens=${s.output_tokens}`);
  if (s.cost_usd !== undefined) parts.push(`cost_usd=${s.cost_usd}`);
  if (s.end_message) parts.push(`end_message=${JSON.stringify(s.end_message.replace(/\s+/g, " "))}`);
  return parts.join(" ");
}

/** The TXT file beside a summary JSON file: `.json` replaced by `.txt` (or `.txt` appended). */
export function summaryTextPath(jsonFile: string): string {
  return /\.json$/i.test(jsonFile) ? jsonFile.replace(/\.json$/i, ".txt") : `${jsonFile}.txt`;
}

/**
 * Writes the summary as pretty JSON to `jsonFile` and as its one-line TXT beside it, each atomically
 * (a reader never sees half a file). The summary is validated first and every string is redacted (token
 * shapes always; registered secrets when `redactor` is given).
 */
export async function writeSummary(
  jsonFile: string,
  summary: RunSummary,
  options: { redactor?: Redactor } = {},
): Promise<{ json: string; txt: string }> {
  const valid = parseWith(RunSummary, summary, "run summary");
  const clean = (options.redactor ?? new Redactor()).redactValue(valid);
  const txt = summaryTextPath(jsonFile);
  await mkdir(dirname(jsonFile), { recursive: true });
  await writeFileAtomic(jsonFile, `${JSON.stringify(clean, null, 2)}\n`);
  await writeFileAtomic(txt, `${formatSummaryLine(clean)}\n`);
  return { json: jsonFile, txt };
}

/** Reads a summary JSON file; a bad file is a ConfigError naming the file and every JSON path at fault. */
export function readSummary(jsonFile: string): Promise<RunSummary> {
  return readJsonFile(jsonFile, RunSummary);
}
