/**
 * How an iteration's circumstances turn into an end reason: budgets checked before each iteration (they
 * fail closed), and the agent's own outcome after it (a stop, a timeout, a denial, a CLI that hit the cap
 * Handoff gave it, or an unexpected failure).
 */
import type { EndReason } from "../evidence/index.js";
import type { DeniedCommand, IterationResult } from "./iteration.js";
import type { Budgets } from "./types.js";

export interface Ending {
  reason: EndReason;
  message?: string;
}

/** What the run has used so far. */
export interface Usage {
  iterations: number;
  elapsedMs: number;
  turns: number;
  costUsd: number;
  aborted: boolean;
}

const spentCost = (usage: Usage, budgets: Budgets): Ending => ({
  reason: "budget_exhausted",
  message: `cost budget spent ($${usage.costUsd.toFixed(4)} of $${budgets.maxCostUsd})`,
});
const spentTurns = (usage: Usage, budgets: Budgets): Ending => ({
  reason: "budget_exhausted",
  message: `turn budget spent (${usage.turns} of ${budgets.maxTurns})`,
});

/** Before an iteration: whichever budget is spent ends the run. */
export function budgetEnding(budgets: Budgets, usage: Usage): Ending | undefined {
  if (usage.aborted) return { reason: "stopped", message: "stopped by a signal before the next iteration" };
  if (usage.iterations >= budgets.maxIterations) {
    return { reason: "budget_exhausted", message: `iteration budget spent (${budgets.maxIterations})` };
  }
  if (budgets.wallTimeMs !== undefined && usage.elapsedMs >= budgets.wallTimeMs) {
    return {
      reason: "timeout",
      message: `wall time budget spent (${Math.round(budgets.wallTimeMs / 1000)} s)`,
    };
  }
  if (budgets.maxTurns !== undefined && usage.turns >= budgets.maxTurns) return spentTurns(usage, budgets);
  if (budgets.maxCostUsd !== undefined && usage.costUsd >= budgets.maxCostUsd)
    return spentCost(usage, budgets);
  return undefined;
}

/** The agent ran out of its per-call turn cap while the run still has turns: feed that back, go on. */
export interface AgentVerdict {
  ending?: Ending;
  outOfTurns?: string;
}

/** After the agent: what its outcome means for the run. */
export function agentEnding(
  result: IterationResult,
  budgets: Budgets,
  usage: Usage,
  stopOnDeny: boolean,
  perCallTurns: number | undefined,
): AgentVerdict {
  const report = result.report;
  if (result.refused) {
    const r: DeniedCommand = result.refused;
    return { ending: { reason: "deny", message: `${r.command}: ${r.reason} (${r.rule})` } };
  }
  if (report?.killed === "stopped" || usage.aborted) {
    // The agent finished on its own when the signal came later: it hit the playbook, or the gap after.
    const during =
      report?.killed === "stopped" || !report
        ? "while the agent was working"
        : result.playbook
          ? "while the playbook was running"
          : "after the agent finished";
    return { ending: { reason: "stopped", message: `stopped by a signal ${during}` } };
  }
  if (report?.killed === "timeout") {
    return { ending: { reason: "timeout", message: "wall time budget spent while the agent was working" } };
  }
  if (result.denied.length && stopOnDeny) {
    const first = result.denied[0]!;
    return {
      ending: { reason: "deny", message: `denied ${first.command} by ${first.rule}: ${first.reason}` },
    };
  }
  if (!report?.isError) return {};
  const error = report.errorMessage ?? "";
  // The CLI stopped at the spend cap Handoff gave it (Claude Code: --max-budget-usd).
  if (budgets.maxCostUsd !== undefined && (usage.costUsd >= budgets.maxCostUsd || /budget/i.test(error))) {
    return { ending: spentCost(usage, budgets) };
  }
  if (perCallTurns !== undefined && /max_turns/.test(error)) {
    if (budgets.maxTurns !== undefined && usage.turns >= budgets.maxTurns)
      return { ending: spentTurns(usage, budgets) };
    return { outOfTurns: error };
  }
  const tail = error.includes("exited") ? `\n${report.outputTail.slice(-500)}` : "";
  return { ending: { reason: "fatal_error", message: `agent failed: ${error || "unknown"}${tail}` } };
}

/** Iterations when neither the CLI nor the agent's `completionConfig` says. */
export const DEFAULT_MAX_ITERATIONS = 10;

/** The run's budgets: what the caller gives, the iteration budget falling back to the agent's, then 10. */
export function runBudgets(given: Partial<Budgets> | undefined, agentMaxIterations?: number): Budgets {
  return { ...given, maxIterations: given?.maxIterations ?? agentMaxIterations ?? DEFAULT_MAX_ITERATIONS };
}

/** What one agent call may spend: the rest of each run budget, and the agent's own turn cap per call. */
export interface CallLimits {
  timeoutMs?: number;
  maxTurns?: number;
  maxBudgetUsd?: number;
}

/** The limits of the next agent call, from the budgets, what is used so far and the runtime's turn cap. */
export function callLimits(budgets: Budgets, usage: Usage, runtimeMaxTurns?: number): CallLimits {
  const turnsLeft = budgets.maxTurns === undefined ? undefined : budgets.maxTurns - usage.turns;
  const turnCaps = [runtimeMaxTurns, turnsLeft].filter((n): n is number => n !== undefined);
  return {
    timeoutMs:
      budgets.wallTimeMs === undefined ? undefined : Math.max(1, budgets.wallTimeMs - usage.elapsedMs),
    maxTurns: turnCaps.length ? Math.min(...turnCaps) : undefined,
    maxBudgetUsd: budgets.maxCostUsd === undefined ? undefined : budgets.maxCostUsd - usage.costUsd,
  };
}
