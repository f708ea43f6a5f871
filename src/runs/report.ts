/**
 * The evidence comment's input (a RunReport) built from what a run left behind: its run record,
 * `summary.json` and ledger (one row per playbook step of the last iteration). One builder for the
 * comment `handoff run` publishes, for the Action's, and for `handoff evidence show RUN --markdown` later,
 * so all agree.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  type LedgerRecord,
  RunSummary,
  type RunReport,
  readLedger,
  renderEvidenceComment,
} from "../evidence/index.js";
import { NotFoundError } from "../errors.js";
import type { Git } from "../git/git.js";
import type { RunRecord } from "../state/handoff-state.js";
import { readJsonFile } from "../util/validate.js";

/** Tokens, cost and turns summed over every agent invocation of a run. */
export interface UsageTotals {
  input_tokens?: number;
  output_tokens?: number;
  cost_usd?: number;
}

/** Sums what the agent CLIs reported; a figure no invocation reported stays absent (unknown, not 0). */
export function sumUsage(
  reports: readonly {
    inputTokens?: number | undefined;
    outputTokens?: number | undefined;
    costUsd?: number | undefined;
  }[],
): UsageTotals {
  const sum = (pick: (r: (typeof reports)[number]) => number | undefined) => {
    const values = reports.map(pick).filter((n): n is number => typeof n === "number");
    return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
  };
  const input = sum((r) => r.inputTokens);
  const output = sum((r) => r.outputTokens);
  const cost = sum((r) => r.costUsd);
  return {
    ...(input !== undefined ? { input_tokens: input } : {}),
    ...(output !== undefined ? { output_tokens: output } : {}),
    // Cents' fractions add up in floating point; six decimals is below any CLI's precision.
    ...(cost !== undefined ? { cost_usd: Math.round(cost * 1e6) / 1e6 } : {}),
  };
}

/** The playbook steps of the last iteration, from the ledger. */
function lastSteps(records: readonly LedgerRecord[]): RunReport["steps"] {
  let from = 0;
  records.forEach((r, i) => {
    if (r.kind === "prompt_built") from = i;
  });
  return records.slice(from).flatMap((r) =>
    r.kind === "step_result"
      ? [
          {
            name: r.step,
            status: r.status,
            exit_code: r.exit_code,
            attempts: r.attempts,
            duration_ms: r.duration_ms,
          },
        ]
      : [],
  );
}

interface RecordExtras {
  base?: string;
  checkpoint?: string;
  denied?: { command: string; rule: string; reason?: string }[];
  metrics?: UsageTotals;
  pull_request?: { url?: string };
  evidence_dir?: string;
}

/** What a face adds to the report of a run record. */
export interface RunReportOptions {
  /** Overrides the recorded pull request's URL. */
  prUrl?: string;
  /** The workflow run or artifact holding the full evidence. */
  artifactUrl?: string;
  /**
   * The ref the branch's diff is measured from, instead of its merge base with the local base branch
   * (the Action compares with `origin/<base>`: a runner's checkout need not have the base branch).
   */
  diffBase?: string;
  /** Words added to the end message: what went wrong after the run (a push, the pull request). */
  notes?: readonly string[];
}

/** A RunReport from the run's files. */
export async function buildRunReport(
  git: Git,
  record: RunRecord,
  options: RunReportOptions = {},
): Promise<RunReport> {
  const extras = record as RunRecord & RecordExtras;
  const dir = extras.evidence_dir;
  if (!dir) throw new NotFoundError(`run ${record.run_id} has no evidence folder`);
  const summaryFile = join(dir, "summary.json");
  const summary = existsSync(summaryFile) ? await readJsonFile(summaryFile, RunSummary) : undefined;
  const ledgerFile = join(dir, "ci_evidence.jsonl");
  const records = existsSync(ledgerFile) ? await readLedger(ledgerFile) : [];
  const issue = typeof record.issue === "number" ? record.issue : null;
  const usage = extras.metrics
    ? sumUsage([
        {
          inputTokens: extras.metrics.input_tokens,
          outputTokens: extras.metrics.output_tokens,
          costUsd: extras.metrics.cost_usd,
        },
      ])
    : {};
  let diff: RunReport["diff_stat"];
  const branchRef = `refs/heads/${record.branch}`;
  if (record.branch && (await git.tryRevParse(branchRef))) {
    const given =
      options.diffBase && (await git.tryRevParse(options.diffBase)) ? options.diffBase : undefined;
    const base =
      given ??
      (extras.base
        ? ((await git.tryMergeBase(`refs/heads/${extras.base}`, branchRef)) ?? extras.base)
        : undefined);
    if (base) {
      const stat = await git.diffStat(base, branchRef);
      diff = { files_changed: stat.files, insertions: stat.insertions, deletions: stat.deletions };
    }
  }
  const prUrl = options.prUrl ?? extras.pull_request?.url;
  const message = [summary?.end_message, ...(options.notes ?? [])].filter(Boolean).join(" — ");
  return {
    run_id: record.run_id,
    agent: record.agent ?? "unknown",
    issue,
    end_reason: (summary?.end_reason ?? record.end_reason ?? "fatal_error") as RunReport["end_reason"],
    ...(message ? { end_message: message } : {}),
    ...(record.branch ? { branch: record.branch } : {}),
    ...(prUrl ? { pr_url: prUrl } : {}),
    ...(extras.checkpoint ? { checkpoint: extras.checkpoint } : {}),
    ...(summary?.duration_ms !== undefined ? { duration_ms: summary.duration_ms } : {}),
    steps: lastSteps(records),
    denied: (extras.denied ?? []).map((d) => ({
      command: d.command,
      rule: d.rule,
      ...(d.reason ? { reason: d.reason } : {}),
    })),
    ...(diff ? { diff_stat: diff } : {}),
    ...(Object.keys(usage).length ? { usage } : {}),
    ...(options.artifactUrl ? { artifact_url: options.artifactUrl } : {}),
    ...(existsSync(ledgerFile) ? { ledger_path: ledgerFile } : {}),
  };
}

/** The evidence comment's Markdown for a run record. */
export async function evidenceMarkdown(
  git: Git,
  record: RunRecord,
  options: RunReportOptions = {},
): Promise<string> {
  return renderEvidenceComment(await buildRunReport(git, record, options));
}
