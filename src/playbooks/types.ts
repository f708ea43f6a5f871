import type { StepStatus } from "../evidence/types.js";
import type { Decision } from "../policy/types.js";
import type { Redactor } from "../redaction/index.js";
import type { PlaybookStep } from "./schema.js";

export type { StepStatus };
/** The policy's decision on a step's command. */
export type PolicyDecision = Decision;
/** Anything that can mask secrets in text: the redaction module's `Redactor`, or a stand-in. */
export type TextRedactor = Pick<Redactor, "redact">;

/** What happened to one step. */
export interface StepResult {
  name: string;
  status: StepStatus;
  /** The last attempt's exit code; null when it did not run, timed out or was killed. */
  exitCode: number | null;
  /** Processes started (0 when skipped or denied). */
  attempts: number;
  /** Wall time of all attempts and backoff waits. */
  durationMs: number;
  /** The last lines of the last attempt's output, redacted. */
  outputTail: string;
  /** The policy's decision, when a policy checked the command. */
  decision?: PolicyDecision;
  /** Why a step was skipped, denied, stopped or failed without running. */
  reason?: string;
}

export interface PlaybookResult {
  /** True when no step failed, timed out, was denied or stopped. */
  ok: boolean;
  steps: StepResult[];
  durationMs: number;
}

/** Reported before and after each step (progress lines, evidence). */
export type StepEvent =
  | { phase: "start"; index: number; step: PlaybookStep }
  | { phase: "end"; index: number; step: PlaybookStep; result: StepResult };
