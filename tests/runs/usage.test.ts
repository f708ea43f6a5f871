import { describe, expect, it } from "vitest";
import { buildSummary, formatSummaryLine } from "../../src/evidence/index.js";
import { sumUsage } from "../../src/runs/report.js";

describe("tokens and cost summed over a run's iterations", () => {
  it("adds what each iteration reported and leaves out what none did", () => {
    expect(
      sumUsage([
        { inputTokens: 1200, outputTokens: 300, costUsd: 0.0123 },
        { inputTokens: 800, costUsd: 0.0077 },
        {},
      ]),
    ).toEqual({ input_tokens: 2000, output_tokens: 300, cost_usd: 0.02 });
    expect(sumUsage([{}, {}])).toEqual({});
  });

  it("puts the totals in the summary's TXT line after the seed 004 fields", () => {
    const summary = {
      ...buildSummary({ steps: [], endReason: "done", stopOnDeny: true }),
      ...sumUsage([{ inputTokens: 5, outputTokens: 7, costUsd: 0.5 }]),
    };
    expect(formatSummaryLine(summary)).toMatch(
      / end_reason=done input_tokens=5 output_tokens=7 cost_usd=0\.5$/,
    );
    expect(formatSummaryLine(buildSummary({ steps: [], endReason: "done", stopOnDeny: true }))).not.toContain(
      "tokens",
    );
  });
});
