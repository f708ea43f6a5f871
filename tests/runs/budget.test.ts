import { describe, expect, it } from "vitest";
import type { EndReason } from "../../src/evidence/index.js";
import { agentEnding, budgetEnding, type Usage } from "../../src/runs/budget.js";
import type { DeniedCommand, IterationResult } from "../../src/runs/iteration.js";
import type { Budgets } from "../../src/runs/types.js";
import type { AgentTurnReport } from "../../src/runtimes/index.js";

const budgets: Budgets = { maxIterations: 3, wallTimeMs: 60_000, maxTurns: 50, maxCostUsd: 2 };
const fresh: Usage = { iterations: 1, elapsedMs: 1_000, turns: 3, costUsd: 0.1, aborted: false };

function report(extra: Partial<AgentTurnReport> = {}): AgentTurnReport {
  return {
    adapter: "command",
    exitCode: 0,
    signal: null,
    turns: 1,
    toolCalls: [],
    permissionDenials: [],
    isError: false,
    metrics: { durationMs: 10, samples: 0 },
    outputTail: "",
    ...extra,
  };
}

const denial: DeniedCommand = {
  command: "rm -rf /",
  rule: "deny_if_contains[0]",
  reason: "rm",
  source: "agent",
};

/** What the runner decides after one agent call: its end reason, or undefined when the run goes on. */
function after(result: IterationResult, stopOnDeny: boolean, usage: Usage = fresh): EndReason | undefined {
  return agentEnding(result, budgets, usage, stopOnDeny, undefined).ending?.reason;
}

describe("the runner's end-reason decision keeps deny, fatal_error and stopped apart", () => {
  const cases: [string, () => EndReason | undefined, EndReason | undefined][] = [
    [
      "a clean agent call goes on to the completion check",
      () => after({ report: report(), denied: [] }, true),
      undefined,
    ],
    ["deny with stop_on_deny", () => after({ report: report(), denied: [denial] }, true), "deny"],
    [
      "deny without stop_on_deny, run goes on",
      () => after({ report: report(), denied: [denial] }, false),
      undefined,
    ],
    [
      "a runtime the policy refused",
      () => after({ denied: [], refused: { ...denial, source: "runtime" } }, false),
      "deny",
    ],
    [
      "fatal error",
      () => after({ report: report({ isError: true, errorMessage: "API down" }), denied: [] }, true),
      "fatal_error",
    ],
    [
      "fatal error beats an earlier deny",
      () => after({ report: report({ isError: true, errorMessage: "crash" }), denied: [denial] }, false),
      "fatal_error",
    ],
    [
      "stopped from outside",
      () => after({ report: report({ killed: "stopped" }), denied: [] }, true),
      "stopped",
    ],
    [
      "interrupted",
      () => after({ report: report(), denied: [] }, true, { ...fresh, aborted: true }),
      "stopped",
    ],
    [
      "interrupted between iterations",
      () => budgetEnding(budgets, { ...fresh, aborted: true })?.reason,
      "stopped",
    ],
    ["timeout", () => after({ report: report({ killed: "timeout" }), denied: [] }, true), "timeout"],
    [
      "timeout before the next iteration",
      () => budgetEnding(budgets, { ...fresh, elapsedMs: 60_000 })?.reason,
      "timeout",
    ],
    ["budget exhausted", () => budgetEnding(budgets, { ...fresh, costUsd: 2 })?.reason, "budget_exhausted"],
    [
      "out of iterations without done",
      () => budgetEnding(budgets, { ...fresh, iterations: 3 })?.reason,
      "budget_exhausted",
    ],
    ["budgets left: the next iteration runs", () => budgetEnding(budgets, fresh)?.reason, undefined],
  ];
  for (const [name, decide, expected] of cases) {
    it(name, () => expect(decide()).toBe(expected));
  }
});
