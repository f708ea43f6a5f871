/**
 * The evidence comment's input (a RunReport) built from what a run left behind: its run record,
 * `summary.json` and ledger (one row per playbook step of the last iteration). One builder for the
 * comment `handoff run` publishes and for `handoff evidence show RUN --markdown` later, so both agree.
 * (The Action builds its report from the outcome in memory: `src/action/report.ts`.)
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

/** A RunReport from the run's files; `prUrl` overrides the one recorded. */
export async function buildRunReport(
  git: Git,
  record: RunRecord,
  options: { prUrl?: string; artifactUrl?: string } = {},
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
  if (extras.base && record.branch && (await git.tryRevParse(`refs/heads/${record.branch}`))) {
    const base =
      (await git.tryMergeBase(`refs/heads/${extras.base}`, `refs/heads/${record.branch}`)) ?? extras.base;
    const stat = await git.diffStat(base, `refs/heads/${record.branch}`);
    diff = { files_changed: stat.files, insertions: stat.insertions, deletions: stat.deletions };
  }
  const prUrl = options.prUrl ?? extras.pull_request?.url;
  return {
    run_id: record.run_id,
    agent: record.agent ?? "unknown",
    issue,
    end_reason: (summary?.end_reason ?? record.end_reason ?? "fatal_error") as RunReport["end_reason"],
    ...(summary?.end_message ? { end_message: summary.end_message } : {}),
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
  options: { prUrl?: string; artifactUrl?: string } = {},
): Promise<string> {
  return renderEvidenceComment(await buildRunReport(git, record, options));
}
