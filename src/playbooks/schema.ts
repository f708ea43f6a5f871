import { z } from "zod";
import { ConfigError } from "../errors.js";
import { jsonPath } from "../util/validate.js";
import { parseCondition } from "./condition.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Environment variables a step adds (values may be written as YAML numbers or booleans). */
export const EnvMapSchema = z
  .record(
    z.string().regex(ENV_NAME, "environment variable names are identifiers"),
    z.union([z.string(), z.number(), z.boolean()]),
  )
  .describe("Environment variables added for the step(s).");

/** A relative folder that cannot climb out of the working directory. */
export const WorkingDirectorySchema = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !/^[A-Za-z]:/.test(p) && !p.split(/[\\/]/).includes(".."), {
    message: "must be a relative path inside the working directory (no absolute path, no '..')",
  });

export const CommandSchema = z.union([
  z.string().trim().min(1).describe("A shell command, run with `sh -c` after the policy allows it."),
  z
    .array(z.string())
    .min(1)
    .refine((argv) => (argv[0] ?? "").length > 0, { message: "the program (first entry) must not be empty" })
    .describe("An argv array: program then arguments, run without a shell."),
]);

const ConditionSchema = z
  .string()
  .superRefine((text, ctx) => {
    try {
      parseCondition(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  })
  .describe(
    "Run the step only when this is true: `var`, `not var`, `var == value`, `var != value`, and/or, ( ).",
  );

export const PlaybookStepSchema = z
  .object({
    name: z.string().trim().min(1).describe("Step name, unique in the playbook."),
    command: CommandSchema,
    timeout_seconds: z
      .number()
      .positive()
      .max(604_800, "must be at most 604800 (7 days)")
      .default(1800)
      .describe("Kill the step's process group after this long (at most 7 days)."),
    retry_count: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(0)
      .describe("Retries after a failure or timeout, with exponential backoff."),
    condition: ConditionSchema.optional(),
    fail_fast: z.boolean().default(true).describe("Stop the playbook when this step fails."),
    env: EnvMapSchema.optional(),
    working_directory: WorkingDirectorySchema.optional().describe(
      "Folder to run in, relative to the working directory.",
    ),
  })
  .strict();
export type PlaybookStep = z.infer<typeof PlaybookStepSchema>;

/** A playbook file: YAML steps with timeouts, retries, conditions and fail_fast. */
export const PlaybookSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().trim().min(1).describe("Playbook name."),
    description: z.string().optional().describe("What the playbook checks."),
    env: EnvMapSchema.optional().describe("Environment variables for every step."),
    retry_base_seconds: z
      .number()
      .positive()
      .default(1)
      .describe("Backoff base: retry n waits base × 2^(n-1) seconds."),
    steps: z.array(PlaybookStepSchema).min(1).describe("Steps, run in order."),
  })
  .strict();
export type Playbook = z.infer<typeof PlaybookSchema>;

/**
 * Validates playbook data and throws a ConfigError listing every problem (`source: $.path: message`),
 * including duplicate step names, which zod alone would only report once the rest is valid.
 */
export function parsePlaybook(data: unknown, source: string): Playbook {
  const result = PlaybookSchema.safeParse(data);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues)
      problems.push(`${source}: ${jsonPath(issue.path)}: ${issue.message}`);
  }
  const steps = (data as { steps?: unknown } | null)?.steps;
  if (Array.isArray(steps)) {
    const seen = new Map<string, number>();
    steps.forEach((step, i) => {
      const name = (step as { name?: unknown } | null)?.name;
      if (typeof name !== "string") return;
      const first = seen.get(name);
      if (first !== undefined) {
        problems.push(
          `${source}: $.steps[${i}].name: duplicate step name "${name}" (also $.steps[${first}])`,
        );
      } else seen.set(name, i);
    });
  }
  if (problems.length > 0 || !result.success) {
    const shown =
      problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join("\n  ")}`;
    throw new ConfigError(shown ?? `${source}: invalid playbook`, source, problems);
  }
  return result.data;
}
