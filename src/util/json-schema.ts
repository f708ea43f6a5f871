import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";

/** The JSON Schema drafts Handoff validates with. */
export type JsonSchemaDraft = "draft-07" | "2020-12";

/**
 * The draft a schema declares in `$schema`; one that declares neither (or nothing) gets `fallback`.
 * Each caller names its fallback: agent definitions follow draft-07 like most hand-written schemas,
 * LLM response formats follow 2020-12 like the APIs that define them.
 */
export function schemaDraft(schema: object, fallback: JsonSchemaDraft): JsonSchemaDraft {
  const declared = (schema as { $schema?: unknown }).$schema;
  if (typeof declared !== "string") return fallback;
  if (declared.includes("2020-12")) return "2020-12";
  if (declared.includes("draft-07")) return "draft-07";
  return fallback;
}

/**
 * A new Ajv for `draft`. `strict: false` tolerates the extra keywords users' schemas carry (titles,
 * OpenAI's own); `allErrors` so that every violation is reported, not only the first.
 */
export function newAjv(draft: JsonSchemaDraft): Ajv | Ajv2020 {
  const options = { strict: false, allErrors: true };
  return draft === "2020-12" ? new Ajv2020(options) : new Ajv(options);
}
