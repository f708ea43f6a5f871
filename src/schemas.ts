/**
 * Every file format Handoff publishes a JSON Schema for (`handoff schema <kind>`). Each entry loads its
 * zod schema lazily, so the CLI can list the kinds without loading the modules.
 *
 * To publish a new kind, add one line here.
 */
import type { z } from "zod";

/** One publishable format. */
export interface SchemaKind {
  /** One line for `handoff schema --help`. */
  description: string;
  /** Loads the zod schema the JSON Schema is generated from. */
  load: () => Promise<z.ZodType>;
  /**
   * `input` for files people write (defaults make fields optional); `output` (the default) for files
   * Handoff writes, where every defaulted field is present.
   */
  io?: "input" | "output";
}

export const SCHEMA_KINDS: Record<string, SchemaKind> = {
  pending: {
    description: "a pending LLM task file (pending/<id>.json)",
    load: async () => (await import("./llm-tasks/schemas.js")).PendingTaskSchema,
  },
  result: {
    description: "an LLM task result file (results/<id>.json)",
    load: async () => (await import("./llm-tasks/schemas.js")).TaskResultSchema,
  },
  policy: {
    description: "an execution policy file (policies/*.yaml)",
    load: async () => (await import("./policy/index.js")).PolicySchema,
    io: "input",
  },
  agent: {
    description: "an agent definition (agents/<name>/agent.json)",
    load: async () => (await import("./agents/schema.js")).AgentSchema,
    io: "input",
  },
  "steps-registry": {
    description: "an agent's steps registry (agents/<name>/steps_registry.json)",
    load: async () => (await import("./agents/steps.js")).StepsRegistrySchema,
    io: "input",
  },
  playbook: {
    description: "a playbook file (playbooks/*.yaml)",
    load: async () => (await import("./playbooks/schema.js")).PlaybookSchema,
    io: "input",
  },
  "run-summary": {
    description: "a run summary (--summary-file: end reason, steps, job loop)",
    load: async () => (await import("./evidence/types.js")).RunSummary,
  },
  "ledger-record": {
    description: "one line of the evidence ledger (ci_evidence.jsonl)",
    load: async () => (await import("./evidence/types.js")).LedgerRecord,
  },
  config: {
    description: "a repository's Handoff config (.github/handoff.yml)",
    load: async () => (await import("./config/schema.js")).HandoffConfigSchema,
    io: "input",
  },
  "run-report": {
    description: "the input of the evidence comment renderer",
    load: async () => (await import("./evidence/types.js")).RunReport,
    io: "input",
  },
};

/** The JSON Schema (draft 2020-12) of a kind, generated from its zod schema. */
export async function jsonSchemaOf(kind: string): Promise<Record<string, unknown>> {
  const entry = SCHEMA_KINDS[kind];
  if (!entry) {
    const { UsageError } = await import("./errors.js");
    throw new UsageError(
      `unknown schema kind "${kind}": expected one of ${Object.keys(SCHEMA_KINDS).join(", ")}`,
    );
  }
  const { z } = await import("zod");
  const schema = z.toJSONSchema(await entry.load(), {
    target: "draft-2020-12",
    unrepresentable: "any",
    io: entry.io ?? "output",
  });
  return { title: `Handoff ${kind}`, ...schema };
}
