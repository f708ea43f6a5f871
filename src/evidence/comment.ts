import { Redactor } from "../redaction/index.js";
import { parseWith } from "../util/validate.js";
import { type EndReason, RunReport } from "./types.js";

/** GitHub refuses issue and PR comments longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

/** Room kept for the truncation notice and the final redaction pass. */
const RESERVE = 1_024;

const MAX_STEP_ROWS = 200;
const MAX_DENIED_ROWS = 100;
const MAX_FILE_ROWS = 100;

const OUTCOME: Record<EndReason, string> = {
  done: "✅ done",
  job_loop_complete: "✅ job loop complete",
  deny: "⛔ denied by policy",
  fatal_error: "💥 fatal error",
  stopped: "⏹️ stopped",
  budget_exhausted: "⏳ budget exhausted",
  timeout: "⏱️ timed out",
};

const STATUS: Record<string, string> = {
  passed: "✅ passed",
  ok: "✅ ok",
  failed: "❌ failed",
  skipped: "⏭️ skipped",
  denied: "⛔ denied",
  deny: "⛔ denied",
  timeout: "⏱️ timeout",
  stopped: "⏹️ stopped",
  fatal_error: "💥 fatal error",
};

/** The hidden marker that lets the GitHub face find and update this run's comment in place. */
export function evidenceMarker(runId: string): string {
  return `<!-- handoff:evidence run=${runId.replace(/[^\w.:-]/g, "_")} -->`;
}

/** Text for a table cell: one line, pipes escaped, no raw HTML. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Inline code that survives backticks inside (CommonMark: a longer fence, padded with spaces). */
function code(text: string): string {
  const flat = text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return longest ? `${fence} ${flat} ${fence}` : `${fence}${flat}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
function block(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}text\n${text.replace(/\n$/, "")}\n${fence}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

const n = (value: number): string => value.toLocaleString("en-US");

/** Where the full evidence lives, for the truncation notice and the footer. */
function evidenceLink(r: RunReport): string {
  const parts: string[] = [];
  if (r.artifact_url) parts.push(`[run artifact](${r.artifact_url})`);
  if (r.ledger_path) parts.push(`ledger ${code(r.ledger_path)}`);
  return parts.length ? parts.join(" · ") : "the run's artifacts and `ci_evidence.jsonl` ledger";
}

/**
 * Renders the evidence comment: a hidden marker, the outcome line with the end reason, run facts
 * (agent, issue, branch, PR, checkpoint, duration, tokens and cost when known), the step table,
 * denied commands with the rule that denied them, tests, diff stat, and collapsible details. The text
 * is redacted and never longer than GitHub's 65,536 characters: long tables are cut with a count of
 * what was left out, detail sections are shortened (keeping their ends) or dropped, and a notice
 * points to the artifact or ledger whenever anything was left out.
 */
export function renderEvidenceComment(
  input: RunReport,
  options: { redactor?: Redactor; limit?: number } = {},
): string {
  const redactor = options.redactor ?? new Redactor();
  // Redact before anything is cut: a secret cut in half would no longer be recognised.
  const r = redactor.redactValue(parseWith(RunReport, input, "run report"));
  const limit = options.limit ?? COMMENT_LIMIT;
  let truncated = false;

  const head: string[] = [evidenceMarker(r.run_id)];
  head.push(`### Handoff run ${code(r.run_id)}: ${OUTCOME[r.end_reason]} (\`${r.end_reason}\`)`);
  const facts = [`**Agent** ${code(r.agent)}`];
  if (r.issue) facts.push(`**Issue** #${r.issue}`);
  if (r.branch) facts.push(`**Branch** ${code(r.branch)}`);
  if (r.pr_url) facts.push(`**PR** ${r.pr_url}`);
  if (r.checkpoint) facts.push(`**Checkpoint** ${code(r.checkpoint)}`);
  if (r.duration_ms !== undefined) facts.push(`**Duration** ${formatDuration(r.duration_ms)}`);
  const u = r.usage;
  if (u?.input_tokens !== undefined || u?.output_tokens !== undefined) {
    facts.push(`**Tokens** ${n(u.input_tokens ?? 0)} in / ${n(u.output_tokens ?? 0)} out`);
  }
  if (u?.cost_usd !== undefined) facts.push(`**Cost** $${u.cost_usd.toFixed(2)}`);
  head.push(facts.join(" · "));
  if (r.end_message) head.push(`> ${cell(r.end_message)}`);

  const sections: string[] = [];
  if (r.steps.length) {
    const rows = r.steps.slice(0, MAX_STEP_ROWS).map((s, i) => {
      const exit = s.exit_code === undefined || s.exit_code === null ? "–" : String(s.exit_code);
      const dur = s.duration_ms === undefined ? "–" : formatDuration(s.duration_ms);
      return `| ${i + 1} | ${cell(s.name)} | ${STATUS[s.status] ?? s.status} | ${exit} | ${s.attempts ?? "–"} | ${dur} |`;
    });
    if (r.steps.length > MAX_STEP_ROWS) {
      truncated = true;
      rows.push(`| … | ${n(r.steps.length - MAX_STEP_ROWS)} more steps not shown | | | | |`);
    }
    sections.push(
      ["| # | Step | Status | Exit | Attempts | Duration |", "|---|---|---|---|---|---|", ...rows].join("\n"),
    );
  }
  if (r.denied.length) {
    const rows = r.denied
      .slice(0, MAX_DENIED_ROWS)
      .map((d) => `| ${code(d.command)} | ${code(d.rule)} | ${cell(d.reason ?? "")} |`);
    if (r.denied.length > MAX_DENIED_ROWS) {
      truncated = true;
      rows.push(`| … ${n(r.denied.length - MAX_DENIED_ROWS)} more | | |`);
    }
    sections.push(
      [
        `**Denied commands** (${r.denied.length})`,
        "",
        "| Command | Rule | Reason |",
        "|---|---|---|",
        ...rows,
      ].join("\n"),
    );
  }
  if (r.tests) {
    const t = r.tests;
    const skipped = t.skipped ? `, ${n(t.skipped)} skipped` : "";
    const icon = t.failed > 0 ? "❌" : "✅";
    sections.push(
      `**Tests** ${icon} ${n(t.passed)} passed, ${n(t.failed)} failed${skipped}${t.command ? ` (${code(t.command)})` : ""}`,
    );
  }
  if (r.diff_stat) {
    const d = r.diff_stat;
    let text = `**Diff** ${n(d.files_changed)} file${d.files_changed === 1 ? "" : "s"} changed, +${n(d.insertions)} −${n(d.deletions)}`;
    if (d.files?.length) {
      const rows = d.files
        .slice(0, MAX_FILE_ROWS)
        .map((f) => `| ${code(f.path)} | +${f.insertions} | −${f.deletions} |`);
      if (d.files.length > MAX_FILE_ROWS) {
        truncated = true;
        rows.push(`| … ${n(d.files.length - MAX_FILE_ROWS)} more files | | |`);
      }
      text += `\n\n<details><summary>Changed files</summary>\n\n| File | + | − |\n|---|---|---|\n${rows.join("\n")}\n\n</details>`;
    }
    sections.push(text);
  }

  const footer = () => `Full evidence: ${evidenceLink(r)}`;
  const notice = () =>
    `> [!NOTE]\n> Parts of this report were left out to stay within GitHub's ${n(limit)}-character comment limit. Full evidence: ${evidenceLink(r)}`;

  // Details come last and give way first: each is shortened (keeping its end, where errors are) to fit.
  const fixed = [...head, ...sections].join("\n\n");
  let budget = limit - RESERVE - fixed.length - footer().length - notice().length;
  const details: string[] = [];
  for (const d of r.details) {
    const title = cell(d.title);
    const wrap = (body: string) => `<details><summary>${title}</summary>\n\n${block(body)}\n\n</details>`;
    const full = wrap(d.body);
    if (full.length + 2 <= budget) {
      details.push(full);
      budget -= full.length + 2;
      continue;
    }
    truncated = true;
    const room = budget - wrap("").length - 80;
    if (room > 200) {
      const kept = d.body.slice(d.body.length - room);
      details.push(wrap(`… ${n(d.body.length - room)} characters cut …\n${kept}`));
    }
    budget = 0;
  }

  const parts = [fixed, ...details];
  if (truncated || fixed.length > limit - RESERVE) parts.push(notice());
  parts.push(footer());
  let text = redactor.redact(parts.join("\n\n")) + "\n";
  if (text.length > limit) {
    // Only a pathological step or fact list gets here; cut the redacted text itself.
    const tail = `\n\n${redactor.redact(notice())}\n`;
    text = text.slice(0, limit - tail.length) + tail;
  }
  return text;
}
