import { z } from "zod";
import { RoleSchema } from "./roles.js";
import { CompletionConditionSchema } from "./validators.js";

/** A path inside the agent folder: relative, no `..` segment (checked again against the real folder at load). */
export const AgentPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !/^[A-Za-z]:/.test(p) && !p.split(/[\\/]/).includes(".."), {
    message: "must be a relative path inside the agent folder (no absolute path, no '..')",
  });

export const COMPLETION_TYPES = [
  "externalState",
  "iterationBudget",
  "checkBudget",
  "keywordSignal",
  "structuredSignal",
  "stepMachine",
  "composite",
  "custom",
] as const;
export const CompletionTypeSchema = z.enum(COMPLETION_TYPES);
export type CompletionType = z.infer<typeof CompletionTypeSchema>;

/**
 * Settings of the completion loop. Which keys are required depends on `completionType` (checked at load):
 * iterationBudget→maxIterations, checkBudget→maxChecks, keywordSignal→completionKeyword,
 * structuredSignal→outputSchema, externalState→validators, composite→completionConditions+mode,
 * stepMachine→a steps registry, custom→completionHandler. `maxIterations` is allowed with every type as a
 * hard cap on the loop.
 */
export const CompletionConfigSchema = z
  .object({
    maxIterations: z.number().int().min(1).optional().describe("Stop after this many iterations."),
    maxChecks: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("checkBudget: stop after this many status checks."),
    completionKeyword: z
      .string()
      .min(1)
      .optional()
      .describe("keywordSignal: the run is done when the agent's final message contains this keyword."),
    responseFormat: z
      .enum(["json", "text"])
      .optional()
      .describe("structuredSignal: how the agent answers (default json)."),
    outputSchema: z
      .union([AgentPath, z.record(z.string(), z.unknown())])
      .optional()
      .describe(
        "structuredSignal: JSON Schema of the completion declaration, inline or a file in the agent folder.",
      ),
    validators: z
      .array(CompletionConditionSchema)
      .optional()
      .describe("externalState: validators that must all pass against the worktree/issue state."),
    completionConditions: z
      .array(CompletionConditionSchema)
      .optional()
      .describe("composite: the conditions to combine."),
    mode: z.enum(["any", "all"]).optional().describe("composite: done when any / all conditions pass."),
    initialStep: z
      .string()
      .min(1)
      .optional()
      .describe("stepMachine: the first step (default: the registry's first)."),
    completionHandler: AgentPath.optional().describe(
      "custom: a JavaScript module in the agent folder whose default export decides completion.",
    ),
  })
  .strict();
export type CompletionConfig = z.infer<typeof CompletionConfigSchema>;

export const BehaviorSchema = z
  .object({
    systemPromptPath: AgentPath.describe("The system prompt (Markdown), relative to the agent folder."),
    completionType: CompletionTypeSchema.describe("How the completion loop decides the run is done."),
    completionConfig: CompletionConfigSchema.default({}).describe("Settings for the completion type."),
    allowedTools: z
      .array(z.string().min(1))
      .default([])
      .describe("Tools the agent CLI may use (e.g. Read, Edit, Bash)."),
    permissionMode: z
      .enum(["default", "plan", "acceptEdits", "bypassPermissions"])
      .default("acceptEdits")
      .describe("The agent CLI's permission mode; plan = read-only."),
  })
  .strict();

const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
export const CLI_FLAG = /^--[a-z][a-z0-9-]*$/;

/** One parameter of the agent; it becomes a flag of `handoff run` (its `cli`). */
export const ParameterSchema = z
  .object({
    type: z.enum(["string", "number", "boolean"]).describe("Value type."),
    description: z.string().optional().describe("Help text of the CLI flag."),
    required: z.boolean().default(false).describe("The run refuses to start without it."),
    default: z.union([z.string(), z.number(), z.boolean()]).optional().describe("Value when not given."),
    cli: z
      .string()
      .regex(CLI_FLAG, "must be a long flag such as --max-iterations")
      .optional()
      .describe("The flag of `handoff run` (default: --<name in kebab-case>)."),
  })
  .strict();
export type Parameter = z.infer<typeof ParameterSchema>;

export const ADAPTERS = ["claude-code", "codex", "gemini", "aider", "command"] as const;
export const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Handoff's addition: which CLI runs the agent. */
export const RuntimeSchema = z
  .object({
    adapter: z.enum(ADAPTERS).describe("The agent CLI adapter; `command` runs any program."),
    model: z.string().min(1).optional().describe("Model name passed to the CLI."),
    command: z.string().min(1).optional().describe("command adapter: the program to run."),
    args: z
      .array(z.string())
      .optional()
      .describe(
        "command adapter: arguments; placeholders {prompt_file} {worktree} {issue} and {<parameter>}.",
      ),
    env: z
      .array(z.string())
      .default([])
      .describe("NAMES of environment variables passed through to the agent (never values)."),
    tty: z.boolean().optional().describe("Run the CLI under a pseudo-terminal."),
    maxTurns: z.number().int().min(1).optional().describe("Upper bound of agent turns per iteration."),
  })
  .strict();
export type Runtime = z.infer<typeof RuntimeSchema>;

export const PromptsSchema = z
  .object({
    registry: AgentPath.default("steps_registry.json").describe("The steps registry file."),
    fallbackDir: AgentPath.default("prompts/").describe(
      "Where step prompts are looked up (<dir>/steps/<a>/<b>.md).",
    ),
  })
  .strict();

/**
 * Keys of source 003's agent.json that Handoff never read, with what replaces them. A file that still
 * sets one is refused like any unknown key, with this reason, rather than loaded and silently ignored.
 */
const RETIRED_KEYS: Readonly<Record<string, string>> = {
  logging: "Handoff does not read it: a run's logs are its evidence folder (docs/evidence.md); remove it",
  github:
    "Handoff does not read it: whether a run reports to GitHub is the face's choice (the app, the Action, --forge github); remove it",
};

/** Zod's unknown-key message, with the reason for each retired key it names. */
function unknownKeysMessage(keys: readonly PropertyKey[]): string {
  const names = keys.map((k) => JSON.stringify(String(k)));
  const head = `Unrecognized key${keys.length === 1 ? "" : "s"}: ${names.join(", ")}`;
  const reasons = keys.flatMap((k) =>
    RETIRED_KEYS[String(k)] ? [`${String(k)}: ${RETIRED_KEYS[String(k)]}`] : [],
  );
  return reasons.length ? `${head} (${reasons.join("; ")})` : head;
}

export const FinalizeSchema = z
  .object({
    autoMerge: z
      .boolean()
      .default(true)
      .describe("Merge the worktree branch into the base branch (CLI --no-merge)."),
    push: z.boolean().default(false).describe("Push after finalizing (CLI --push)."),
    remote: z.string().min(1).default("origin").describe("Remote to push to (CLI --push-remote)."),
    createPr: z
      .boolean()
      .default(false)
      .describe("Open or update a PR instead of merging (CLI --create-pr)."),
    prTarget: z
      .string()
      .min(1)
      .optional()
      .describe("PR target branch; default the base branch (CLI --pr-target)."),
  })
  .strict();
export type Finalize = z.infer<typeof FinalizeSchema>;

/** agent.json: the agent's behaviour, parameters, prompts and finalize, plus Handoff's `role` and `runtime`. */
export const AgentSchema = z
  .object(
    {
      $schema: z.string().optional().describe("Editor hint; ignored."),
      name: z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9._-]*$/,
          "must be lower-case letters, digits, '.', '_' or '-' (it is used in labels)",
        )
        .describe("Identifier; equals the folder name; the issue label is agent:<name>."),
      displayName: z.string().min(1).describe("Human-readable name."),
      description: z.string().min(1).describe("What the agent is for."),
      role: RoleSchema,
      runtime: RuntimeSchema,
      behavior: BehaviorSchema,
      parameters: z
        .record(z.string().regex(PARAMETER_NAME, "parameter names are identifiers"), ParameterSchema)
        .default({})
        .describe("Parameters; each becomes a flag of `handoff run`."),
      prompts: PromptsSchema.default({ registry: "steps_registry.json", fallbackDir: "prompts/" }),
      worktree: z
        .object({
          // Every run works in its issue's worktree (one issue = one branch = one worktree); `false` would
          // be silently ignored, so it is refused at load instead.
          enabled: z
            .literal(true, {
              error:
                "must be true: Handoff always runs an agent in its issue's worktree (remove the field or set true)",
            })
            .default(true)
            .describe(
              "Always true: every run works in an issue-scoped worktree (accepted so existing files load).",
            ),
          root: AgentPath.default(".worktrees").describe("Worktree root, relative to the repository."),
        })
        .strict()
        .default({ enabled: true, root: ".worktrees" }),
      finalize: FinalizeSchema.default({ autoMerge: true, push: false, remote: "origin", createPr: false }),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? unknownKeysMessage(issue.keys) : undefined) },
  )
  .strict();
export type AgentJson = z.infer<typeof AgentSchema>;

/** Optional config.json: run-time overrides of parameter defaults (`{ "parameters": { "topic": "x" } }`). */
export const AgentConfigSchema = z
  .object({
    $schema: z.string().optional(),
    parameters: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .default({})
      .describe("Parameter values that replace the defaults of agent.json."),
  })
  .strict();
export type AgentConfig = z.infer<typeof AgentConfigSchema>;
