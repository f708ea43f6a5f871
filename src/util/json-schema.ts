import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { RegExpEngine } from "ajv/dist/types/index.js";
import { userRegExp } from "./regex.js";

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
 * JSON Schema `pattern` and `patternProperties` run on RE2 (re2js), not on JavaScript's backtracking
 * engine: a schema an agent or a task author wrote (`^(a+)+$`) cannot hang a validation, and a pattern
 * RE2 cannot run fails to compile with a message that says why.
 */
const regExp: RegExpEngine = Object.assign((pattern: string, flags: string) => userRegExp(pattern, flags), {
  code: "re2js",
});

/**
 * A new Ajv for `draft`. `strict: false` tolerates the extra keywords users' schemas carry (titles,
 * OpenAI's own); `allErrors` so that every violation is reported, not only the first; patterns on RE2.
 */
export function newAjv(draft: JsonSchemaDraft): Ajv | Ajv2020 {
  const options = { strict: false, allErrors: true, code: { regExp } };
  return draft === "2020-12" ? new Ajv2020(options) : new Ajv(options);
}
