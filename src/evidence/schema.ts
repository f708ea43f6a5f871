import { z } from "zod";
import { LedgerRecord, RunReport, RunSummary } from "./types.js";

/**
 * JSON Schemas of the evidence formats, generated from the zod schemas (never written by hand), for
 * `handoff schema` and for consumers in other languages.
 */
export function evidenceJsonSchemas(): Record<"run-summary" | "ledger-record" | "run-report", unknown> {
  return {
    "run-summary": z.toJSONSchema(RunSummary),
    "ledger-record": z.toJSONSchema(LedgerRecord),
    "run-report": z.toJSONSchema(RunReport, { io: "input" }),
  };
}
