import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { buildSummary } from "../../src/evidence/index.js";
import { jsonSchemaOf } from "../../src/schemas.js";

const schemas = {
  "run-summary": await jsonSchemaOf("run-summary"),
  "ledger-record": await jsonSchemaOf("ledger-record"),
  "run-report": await jsonSchemaOf("run-report"),
};

describe("evidence JSON Schemas", () => {
  const ajv = new Ajv2020.default({ strict: false });

  it("accepts what the code writes and rejects a wrong end reason", () => {
    const validate = ajv.compile(schemas["run-summary"] as object);
    const summary = buildSummary({
      steps: [{ step: 1, phase: "deny", stopped: true }],
      endReason: "deny",
      stopOnDeny: true,
    });
    expect(validate(summary)).toBe(true);
    expect(validate({ ...summary, end_reason: "crashed" })).toBe(false);
  });

  it("describes ledger records with their event kinds", () => {
    const validate = ajv.compile(schemas["ledger-record"] as object);
    const base = { v: 1, seq: 1, ts: "2026-11-21T12:00:00.000Z", run_id: "r", agent: "a", issue: null };
    expect(validate({ ...base, kind: "checkpoint", tag: "t", sha: "s" })).toBe(true);
    expect(validate({ ...base, kind: "checkpoint", tag: "t" })).toBe(false);
    expect(validate({ ...base, kind: "teleport" })).toBe(false);
  });
});
