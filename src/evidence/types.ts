import { z } from "zod";
import { ExitCode } from "../errors.js";

/**
 * Why a run ended. `deny`, `fatal_error` and `stopped` stay distinct:
 * - `done`: the agent finished and its checks passed.
 * - `deny`: the execution policy refused a command (and `stop_on_deny` ended the run, or every command was denied).
 * - `fatal_error`: an unrecoverable error (API failure, crash, git failure) — not a policy decision.
 * - `stopped`: halted from outside (signal, `/stop`, cancellation) — neither denied nor failed.
 * - `budget_exhausted`: the iteration/check budget ran out before completion.
 * - `timeout`: the run's time limit passed.
 * - `job_loop_complete`: the job loop reached `max_jobs` (not an error).
 */
export const EndReason = z.enum([
  "done",
  "deny",
  "fatal_error",
  "stopped",
  "budget_exhausted",
  "timeout",
  "job_loop_complete",
]);
export type EndReason = z.infer<typeof EndReason>;

/** The process exit code of each end reason, one of Handoff's exit codes (see docs/evidence.md). */
export const END_REASON_EXIT_CODE: Readonly<Record<EndReason, ExitCode>> = {
  done: ExitCode.ok,
  job_loop_complete: ExitCode.ok,
  deny: ExitCode.failure,
  fatal_error: ExitCode.failure,
  budget_exhausted: ExitCode.failure,
  timeout: ExitCode.failure,
  stopped: ExitCode.interrupted,
};

/** A content hash kept in the ledger instead of the content itself (prompt, agent output, diff). */
export const Digest = z.object({
  /** Hex SHA-256 of the redacted content, UTF-8. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Size of the redacted content in bytes. */
  bytes: z.number().int().nonnegative(),
});
export type Digest = z.infer<typeof Digest>;

/** A policy decision as recorded (the shape of the policy module's `Decision`). */
export const DecisionRecord = z.object({
  allowed: z.boolean(),
  /** The rule that decided, e.g. `allow[2]`, `deny_if_contains[0]`, `default_action`. */
  rule: z.string(),
  reason: z.string(),
});

/** A playbook step's status (the playbook module's `StepResult.status`). */
export const StepStatus = z.enum(["passed", "failed", "skipped", "denied", "timeout", "stopped"]);
export type StepStatus = z.infer<typeof StepStatus>;

const kind = <K extends string>(k: K) => z.literal(k);

/** The events a run records, one ledger record each. Bulky content appears only as a Digest. */
export const LedgerEvent = z.discriminatedUnion("kind", [
  z.object({
    kind: kind("run_started"),
    /** Action mode or CLI command: run, test, cleanrun, … */
    mode: z.string().optional(),
    branch: z.string().optional(),
    base_sha: z.string().optional(),
    worktree: z.string().optional(),
    runtime: z.string().optional(),
    model: z.string().optional(),
  }),
  z.object({
    kind: kind("prompt_built"),
    iteration: z.number().int().nonnegative().optional(),
    prompt: Digest,
  }),
  z.object({
    kind: kind("agent_turn"),
    iteration: z.number().int().nonnegative().optional(),
    output: Digest.optional(),
    exit_code: z.number().int().nullable().optional(),
    duration_ms: z.number().nonnegative().optional(),
    input_tokens: z.number().int().nonnegative().optional(),
    output_tokens: z.number().int().nonnegative().optional(),
    cost_usd: z.number().nonnegative().optional(),
    /** Whether an OS sandbox contained the agent (its process, or the tools its CLI runs). */
    sandboxed: z.boolean().optional(),
    /** Why not, when the policy's `sandbox` asked for one. */
    sandbox_reason: z.string().optional(),
  }),
  z.object({
    kind: kind("tool_call"),
    tool: z.string(),
    /** The command as the agent asked for it (redacted). */
    command: z.string().optional(),
    decision: DecisionRecord.optional(),
  }),
  z.object({
    kind: kind("step_result"),
    step: z.string(),
    status: StepStatus,
    exit_code: z.number().int().nullable(),
    attempts: z.number().int().nonnegative(),
    duration_ms: z.number().nonnegative(),
    output: Digest.optional(),
    /** Whether the step ran inside the OS sandbox (bwrap). */
    sandboxed: z.boolean().optional(),
    decision: DecisionRecord.optional(),
  }),
  z.object({
    kind: kind("commit"),
    sha: z.string(),
    message: z.string().optional(),
    files_changed: z.number().int().nonnegative().optional(),
    insertions: z.number().int().nonnegative().optional(),
    deletions: z.number().int().nonnegative().optional(),
    diff: Digest.optional(),
  }),
  z.object({ kind: kind("checkpoint"), tag: z.string(), sha: z.string() }),
  /** A change that touched protected paths, kept on a quarantine ref instead of the branch. */
  z.object({ kind: kind("quarantine"), ref: z.string(), sha: z.string(), files: z.array(z.string()) }),
  /** A push refused because the commits carry a secret (file and line only, never the value). */
  z.object({
    kind: kind("push_refused"),
    branch: z.string(),
    findings: z.array(
      z.object({
        commit: z.string(),
        /** A line a commit adds to `file`, the commit's message, or the message of `tag`. */
        in: z.enum(["file", "commit-message", "tag-message"]),
        file: z.string().optional(),
        tag: z.string().optional(),
        line: z.number().int(),
        kind: z.string(),
        /** A binary file, scanned for registered values only. */
        binary: z.boolean().optional(),
      }),
    ),
  }),
  z.object({
    kind: kind("push"),
    branch: z.string(),
    sha: z.string(),
    remote: z.string().optional(),
    /** True when pushed with --force-with-lease. */
    forced: z.boolean().optional(),
  }),
  z.object({
    kind: kind("pr"),
    number: z.number().int().positive(),
    action: z.enum(["opened", "updated"]),
    url: z.string().optional(),
  }),
  z.object({
    kind: kind("run_ended"),
    end_reason: EndReason,
    exit_code: z.number().int().optional(),
    duration_ms: z.number().nonnegative().optional(),
    message: z.string().optional(),
  }),
]);
export type LedgerEvent = z.infer<typeof LedgerEvent>;
export type LedgerEventKind = LedgerEvent["kind"];

/** Fields whose content is hashed: callers may pass the text, the ledger stores its Digest. */
export const BULKY_FIELDS = ["prompt", "output", "diff"] as const;
type Bulky<E> = { [K in keyof E]: K extends (typeof BULKY_FIELDS)[number] ? E[K] | string : E[K] };
/** What `Ledger.append` accepts: a LedgerEvent where prompt/output/diff may be the raw text. */
export type LedgerEventInput = LedgerEvent extends infer E
  ? E extends LedgerEvent
    ? Bulky<E>
    : never
  : never;

/** One line of `ci_evidence.jsonl`. */
export const LedgerRecord = z.intersection(
  z.object({
    /** Record format version. */
    v: z.literal(1),
    /** 1-based position in the ledger file; consecutive, never reused. */
    seq: z.number().int().positive(),
    /** ISO 8601 UTC time of the event. */
    ts: z.iso.datetime(),
    run_id: z.string().min(1),
    agent: z.string().min(1),
    issue: z.number().int().positive().nullable(),
  }),
  LedgerEvent,
);
export type LedgerRecord = z.infer<typeof LedgerRecord>;

/** The job loop block of a summary. */
export const JobLoop = z.object({
  enabled: z.boolean(),
  max_jobs: z.number().int().nonnegative(),
  job_name: z.string(),
  /** 1-based index of the job this run worked on. */
  current_job_index: z.number().int().nonnegative(),
  completed: z.boolean(),
});
export type JobLoop = z.infer<typeof JobLoop>;

/** The phase a run is in; a run's final phase is usually its end reason. */
export const Phase = z.union([EndReason, z.enum(["running"])]);
export type Phase = z.infer<typeof Phase>;

/** The run summary, written as JSON and as one TXT line. */
export const RunSummary = z.object({
  phase: Phase,
  /** Number of the last step (iteration) executed, 1-based; 0 before the first. */
  step: z.number().int().nonnegative(),
  done: z.boolean(),
  /** File name of the latest step log, e.g. `step_003.json`. */
  latest_step: z.string().nullable(),
  step_count: z.number().int().nonnegative(),
  phase_summary_exists: z.boolean(),
  denied_steps: z.array(z.number().int().positive()),
  fatal_error_steps: z.array(z.number().int().positive()),
  stopped_steps: z.array(z.number().int().positive()),
  denied_count: z.number().int().nonnegative(),
  fatal_error_count: z.number().int().nonnegative(),
  stopped_count: z.number().int().nonnegative(),
  stop_on_deny: z.boolean(),
  end_reason: EndReason,
  /** Human words on the end reason, e.g. `max_jobs(3) reached` (redacted). */
  end_message: z.string().optional(),
  job_loop: JobLoop,
  job_result_exists: z.boolean(),
  job_result_written: z.boolean(),
  /** Present only when job_result_exists. */
  job_result_path: z.string().optional(),
  job_payload_present: z.boolean(),
  /** Size of job_input.json in bytes (0 when absent). */
  job_payload_size: z.number().int().nonnegative(),
  run_id: z.string().optional(),
  agent: z.string().optional(),
  issue: z.number().int().positive().nullable().optional(),
  started_at: z.iso.datetime().optional(),
  ended_at: z.iso.datetime().optional(),
  duration_ms: z.number().nonnegative().optional(),
  /** Tokens and cost summed over the run's iterations, as the agent CLIs reported them (absent: unknown). */
  input_tokens: z.number().int().nonnegative().optional(),
  output_tokens: z.number().int().nonnegative().optional(),
  cost_usd: z.number().nonnegative().optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** One row of the evidence comment's step table. */
export const ReportStep = z.object({
  name: z.string(),
  status: z.union([StepStatus, z.enum(["ok", "deny", "fatal_error"])]),
  exit_code: z.number().int().nullable().optional(),
  attempts: z.number().int().nonnegative().optional(),
  duration_ms: z.number().nonnegative().optional(),
});

/** What the evidence comment shows (input of `renderEvidenceComment`). */
export const RunReport = z.object({
  run_id: z.string().min(1),
  agent: z.string().min(1),
  issue: z.number().int().positive().nullable().optional(),
  end_reason: EndReason,
  end_message: z.string().optional(),
  branch: z.string().optional(),
  pr_url: z.string().optional(),
  checkpoint: z.string().optional(),
  duration_ms: z.number().nonnegative().optional(),
  steps: z.array(ReportStep).default([]),
  /** Commands the policy refused, with the rule that refused them. */
  denied: z
    .array(z.object({ command: z.string(), rule: z.string(), reason: z.string().optional() }))
    .default([]),
  tests: z
    .object({
      command: z.string().optional(),
      passed: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      skipped: z.number().int().nonnegative().optional(),
    })
    .optional(),
  diff_stat: z
    .object({
      files_changed: z.number().int().nonnegative(),
      insertions: z.number().int().nonnegative(),
      deletions: z.number().int().nonnegative(),
      files: z
        .array(z.object({ path: z.string(), insertions: z.number().int(), deletions: z.number().int() }))
        .optional(),
    })
    .optional(),
  usage: z
    .object({
      input_tokens: z.number().int().nonnegative().optional(),
      output_tokens: z.number().int().nonnegative().optional(),
      cost_usd: z.number().nonnegative().optional(),
    })
    .optional(),
  /** Where the full evidence lives (workflow artifact URL, ledger path). */
  artifact_url: z.string().optional(),
  ledger_path: z.string().optional(),
  /** Collapsible sections, e.g. a step's output tail. */
  details: z.array(z.object({ title: z.string(), body: z.string() })).default([]),
});
export type RunReport = z.input<typeof RunReport>;
