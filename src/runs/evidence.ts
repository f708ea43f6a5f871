/**
 * The run's evidence sink: the JSONL ledger and the summary files, behind two small functions so the
 * loop does not care how they are written. Interim implementation until the evidence module's `Ledger`
 * and `writeSummary` land on this branch (see the report): the record shape is the evidence module's
 * `LedgerRecord` (v, seq, ts, run_id, agent, issue + the event, bulky fields as sha256 digests), every
 * string redacted before it is written.
 */
import { createHash } from "node:crypto";
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { BULKY_FIELDS, type LedgerEventInput, type RunSummary } from "../evidence/index.js";
import type { Redactor } from "../redaction/index.js";
import { writeFileAtomic } from "../util/fs.js";

/** What the loop appends events to. */
export interface RunLedger {
  readonly file: string;
  append(event: LedgerEventInput): Promise<void>;
}

function digest(text: string): { sha256: string; bytes: number } {
  return {
    sha256: createHash("sha256").update(text, "utf8").digest("hex"),
    bytes: Buffer.byteLength(text, "utf8"),
  };
}

/** Opens (appends to) the ledger at `file`. */
export async function openLedger(
  file: string,
  meta: { runId: string; agent: string; issue: number | null; redactor: Redactor },
): Promise<RunLedger> {
  await mkdir(dirname(file), { recursive: true });
  let seq = 0;
  let chain = Promise.resolve();
  return {
    file,
    append(event) {
      const record: Record<string, unknown> = {
        v: 1,
        seq: ++seq,
        ts: new Date().toISOString(),
        run_id: meta.runId,
        agent: meta.agent,
        issue: meta.issue,
      };
      for (const [key, value] of Object.entries(event)) {
        if ((BULKY_FIELDS as readonly string[]).includes(key) && typeof value === "string") {
          record[key] = digest(meta.redactor.redact(value));
        } else record[key] = meta.redactor.redactValue(value);
      }
      const line = `${JSON.stringify(record)}\n`;
      chain = chain.then(() => appendFile(file, line));
      return chain;
    },
  };
}

const bool = (value: boolean): string => (value ? "True" : "False");

/** Seed 004's one-line TXT form of a summary. */
export function summaryLine(s: RunSummary): string {
  const parts = [
    `phase=${s.phase}`,
    `step=${s.step}`,
    `done=${bool(s.done)}`,
    `latest_step=${s.latest_step ?? "none"}`,
    `step_count=${s.step_count}`,
    `phase_summary=${s.phase_summary_exists ? "exists" : "none"}`,
    `job_result=${s.job_result_exists ? "exists" : "none"}`,
    ...(s.job_result_exists && s.job_result_path ? [`job_result_path=${s.job_result_path}`] : []),
    `job_loop=${s.job_loop.enabled ? "enabled" : "disabled"}`,
    `job_name=${s.job_loop.job_name}`,
    `job_index=${s.job_loop.current_job_index}`,
    `max_jobs=${s.job_loop.max_jobs}`,
    `job_payload=${s.job_payload_present ? "present" : "none"}`,
    `job_result_written=${String(s.job_result_written)}`,
    `job_payload_size=${s.job_payload_size}`,
    `denied_count=${s.denied_count}`,
    `fatal_error_count=${s.fatal_error_count}`,
    `stopped_count=${s.stopped_count}`,
    `stop_on_deny=${String(s.stop_on_deny)}`,
    `end_reason=${s.end_reason}`,
  ];
  return parts.join(" ");
}

/** Writes the summary JSON and its TXT line beside it (`x.json` → `x.txt`). */
export async function writeRunSummary(jsonFile: string, summary: RunSummary): Promise<void> {
  await mkdir(dirname(jsonFile), { recursive: true });
  await writeFileAtomic(jsonFile, `${JSON.stringify(summary, null, 2)}\n`);
  const txt = jsonFile.endsWith(".json") ? `${jsonFile.slice(0, -5)}.txt` : `${jsonFile}.txt`;
  await writeFileAtomic(txt, `${summaryLine(summary)}\n`);
}
