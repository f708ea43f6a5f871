/**
 * Decides, after each iteration, whether the run is complete according to the agent's completion type,
 * and what to feed back when it is not. The step machine keeps its current step and attempt
 * count here between iterations.
 */
import { readFile } from "node:fs/promises";
import { stepPromptPath, type AgentDefinition } from "../agents/index.js";
import {
  checkJsonSchema,
  evaluateConditions,
  extractJson,
  runCustomHandler,
  type CompletionContext,
  type ConditionResult,
} from "./completion.js";

/** The verdict of one iteration. */
export interface Verdict {
  /** The run is complete. */
  done: boolean;
  /** The run cannot complete any more (a retry budget is spent). */
  exhausted?: string;
  results: ConditionResult[];
}

/** Completion state carried across iterations. */
export class CompletionJudge {
  private stepId: string | undefined;
  private attempts = 0;
  private checks = 0;

  constructor(private readonly agent: AgentDefinition) {
    if (agent.agent.behavior.completionType === "stepMachine") {
      const steps = Object.keys(agent.stepsRegistry?.steps ?? {});
      this.stepId = agent.agent.behavior.completionConfig.initialStep ?? steps[0];
    }
  }

  /** The current step of a step machine. */
  get currentStep(): string | undefined {
    return this.stepId;
  }

  /** The prompt of the current step, when it has one. */
  async stepPrompt(): Promise<string | undefined> {
    if (!this.stepId) return undefined;
    const file = await stepPromptPath(this.agent, this.stepId);
    const description = this.agent.stepsRegistry?.steps[this.stepId]?.description;
    const text = file ? await readFile(file, "utf8") : undefined;
    return [description, text].filter(Boolean).join("\n\n") || undefined;
  }

  /** A plain sentence that tells the agent how to signal completion, when the type needs one. */
  hint(): string | undefined {
    const { completionType, completionConfig } = this.agent.agent.behavior;
    if (completionType === "keywordSignal") {
      return `When the job is complete, include the word ${completionConfig.completionKeyword ?? ""} in your final message.`;
    }
    if (completionType === "structuredSignal") {
      return "When the job is complete, end your final message with a ```json block that matches the required output schema.";
    }
    return undefined;
  }

  async judge(ctx: CompletionContext, iteration: number, maxIterations: number): Promise<Verdict> {
    const { completionType, completionConfig: config } = this.agent.agent.behavior;
    switch (completionType) {
      case "iterationBudget": {
        const limit = config.maxIterations ?? maxIterations;
        return {
          done: iteration >= limit,
          results: [
            {
              validator: "iterationBudget",
              passed: iteration >= limit,
              detail: `iteration ${iteration} of ${limit}`,
            },
          ],
        };
      }
      case "checkBudget": {
        this.checks++;
        const results = await evaluateConditions([{ validator: "tests-pass" }], ctx);
        const done = results.every((r) => r.passed);
        const limit = config.maxChecks ?? maxIterations;
        return {
          done,
          results,
          ...(!done && this.checks >= limit
            ? { exhausted: `check budget spent: ${this.checks} of ${limit} checks failed` }
            : {}),
        };
      }
      case "keywordSignal": {
        const results = await evaluateConditions(
          [{ validator: "keyword-present", args: { keyword: config.completionKeyword ?? "" } }],
          ctx,
        );
        return { done: results.every((r) => r.passed), results };
      }
      case "structuredSignal": {
        const result = await checkJsonSchema(this.agent, config.outputSchema, extractJson(ctx.resultText));
        return { done: result.passed, results: [{ ...result, validator: "structuredSignal" }] };
      }
      case "externalState": {
        const results = await evaluateConditions(config.validators ?? [], ctx);
        return { done: results.every((r) => r.passed), results };
      }
      case "composite": {
        const results = await evaluateConditions(config.completionConditions ?? [], ctx);
        const done = config.mode === "any" ? results.some((r) => r.passed) : results.every((r) => r.passed);
        return { done, results };
      }
      case "custom": {
        const result = await runCustomHandler(this.agent, config.completionHandler ?? "", {
          worktree: ctx.worktree,
          resultText: ctx.resultText,
          iteration,
          playbookOk: ctx.playbookResult?.ok,
        });
        return { done: result.passed, results: [result] };
      }
      case "stepMachine":
        return this.stepMachine(ctx);
    }
  }

  private async stepMachine(ctx: CompletionContext): Promise<Verdict> {
    const step = this.stepId ? this.agent.stepsRegistry?.steps[this.stepId] : undefined;
    if (!step || !this.stepId) return { done: true, results: [] };
    const results = await evaluateConditions(step.completionConditions, ctx);
    const tagged = results.map((r) => ({ ...r, detail: `[${this.stepId}] ${r.detail}` }));
    if (results.every((r) => r.passed)) return this.advance(step.next, tagged);
    this.attempts++;
    const { action, maxAttempts } = step.onFailure;
    if (action === "continue") return this.advance(step.next, tagged);
    if (action === "abort") {
      return {
        done: false,
        results: tagged,
        exhausted: `step ${this.stepId} failed and its onFailure is abort`,
      };
    }
    if (this.attempts >= maxAttempts) {
      return {
        done: false,
        results: tagged,
        exhausted: `step ${this.stepId} failed ${this.attempts} of ${maxAttempts} attempts`,
      };
    }
    return { done: false, results: tagged };
  }

  private advance(next: string | undefined, results: ConditionResult[]): Verdict {
    this.attempts = 0;
    this.stepId = next;
    return { done: next === undefined, results };
  }
}
