/**
 * The run's evidence sink: the evidence module's JSONL `Ledger` (`ci_evidence.jsonl`) and its summary
 * writer (JSON + one-line TXT), behind two small functions so the loop does not care how they are written.
 */
import { Ledger, writeSummary, type LedgerEventInput, type RunSummary } from "../evidence/index.js";
import type { Redactor } from "../redaction/index.js";

/** What the loop appends events to. */
export interface RunLedger {
  readonly file: string;
  append(event: LedgerEventInput): Promise<unknown>;
}

/** Opens (appends to) the ledger at `file`; every record is redacted with the run's redactor. */
export async function openLedger(
  file: string,
  meta: { runId: string; agent: string; issue: number | null; redactor: Redactor },
): Promise<RunLedger> {
  return new Ledger(file, {
    runId: meta.runId,
    agent: meta.agent,
    issue: meta.issue,
    redactor: meta.redactor,
  });
}

/** Writes the summary JSON and its TXT line beside it (`x.json` → `x.txt`), redacted. */
export async function writeRunSummary(
  jsonFile: string,
  summary: RunSummary,
  redactor?: Redactor,
): Promise<void> {
  await writeSummary(jsonFile, summary, redactor ? { redactor } : {});
}
