import { z } from "zod";
import { AgentPath } from "./schema.js";
import { CompletionConditionSchema } from "./validators.js";

/** What to do when a step's completion conditions fail. */
export const OnFailureSchema = z
  .object({
    action: z.enum(["retry", "abort", "continue"]).describe("retry the step, abort the run, or continue."),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe("Attempts in total, including the first (retry)."),
  })
  .strict();

/** One step of the completion loop. */
export const StepSchema = z
  .object({
    description: z.string().optional().describe("What the step is for."),
    prompt: AgentPath.optional().describe(
      "Prompt file in the agent folder; default <fallbackDir>/steps/<id with '.' as '/'>.md when it exists.",
    ),
    completionConditions: z
      .array(CompletionConditionSchema)
      .default([])
      .describe("Validators that must pass for the step to be complete."),
    onFailure: OnFailureSchema.default({ action: "abort", maxAttempts: 1 }),
    next: z.string().min(1).optional().describe("stepMachine: the step after this one (none = done)."),
  })
  .strict();
export type Step = z.infer<typeof StepSchema>;

/** steps_registry.json. */
export const StepsRegistrySchema = z
  .object({
    $schema: z.string().optional(),
    steps: z
      .record(
        z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "step ids are dot-separated words"),
        StepSchema,
      )
      .describe("Steps by id, e.g. `closure.issue`."),
  })
  .strict();
export type StepsRegistry = z.infer<typeof StepsRegistrySchema>;
