/**
 * A run's outcome as the evidence comment's report: the facts, one row per agent turn, the denied
 * commands, token use and cost, and the diff of the branch against its base.
 */
import type { RunReport } from "../evidence/index.js";
import type { Git } from "../git/git.js";
import type { RunOutcome } from "../runs/types.js";

export interface ReportExtras {
  /** The base the branch is compared with (a ref or sha). */
  base?: string;
  prUrl?: string;
  /** The workflow run or artifact holding the full evidence. */
  artifactUrl?: string;
  /** Words added to the end message, e.g. what went wrong while publishing. */
  notes?: string[];
}

const sum = (values: Array<number | undefined>): number | undefined =>
  values.some((v) => v !== undefined) ? values.reduce<number>((a, v) => a + (v ?? 0), 0) : undefined;

export async function runReport(
  outcome: RunOutcome,
  git: Git,
  extras: ReportExtras = {},
): Promise<RunReport> {
  const reports = outcome.agentReports;
  const message = [outcome.message, ...(extras.notes ?? [])].filter(Boolean).join(" — ");
  let diff: RunReport["diff_stat"];
  if (extras.base && outcome.branch) {
    const stat = await git.diffStat(extras.base, `refs/heads/${outcome.branch}`).catch(() => null);
    if (stat) diff = { files_changed: stat.files, insertions: stat.insertions, deletions: stat.deletions };
  }
  const input = sum(reports.map((r) => r.inputTokens));
  const output = sum(reports.map((r) => r.outputTokens));
  const cost = sum(reports.map((r) => r.costUsd));
  return {
    run_id: outcome.runId,
    agent: outcome.summary.agent ?? "agent",
    issue: outcome.summary.issue ?? null,
    end_reason: outcome.endReason,
    ...(message ? { end_message: message } : {}),
    ...(outcome.branch ? { branch: outcome.branch } : {}),
    ...(extras.prUrl ? { pr_url: extras.prUrl } : {}),
    ...(outcome.lastCheckpoint ? { checkpoint: outcome.lastCheckpoint } : {}),
    ...(outcome.summary.duration_ms !== undefined ? { duration_ms: outcome.summary.duration_ms } : {}),
    steps: reports.map((r, i) => ({
      name: `agent turn ${i + 1} (${r.adapter})`,
      status:
        r.killed === "timeout" ? "timeout" : r.killed === "stopped" ? "stopped" : r.isError ? "failed" : "ok",
      exit_code: r.exitCode,
      duration_ms: r.metrics.durationMs,
    })),
    denied: outcome.denied.map((d) => ({ command: d.command, rule: d.rule, reason: d.reason })),
    ...(diff ? { diff_stat: diff } : {}),
    ...(input !== undefined || output !== undefined || cost !== undefined
      ? {
          usage: {
            ...(input !== undefined ? { input_tokens: input } : {}),
            ...(output !== undefined ? { output_tokens: output } : {}),
            ...(cost !== undefined ? { cost_usd: cost } : {}),
          },
        }
      : {}),
    ...(extras.artifactUrl ? { artifact_url: extras.artifactUrl } : {}),
    ...(outcome.ledgerFile ? { ledger_path: outcome.ledgerFile } : {}),
  };
}
