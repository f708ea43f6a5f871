import { Ajv } from "ajv";
import type { RegExpEngine } from "ajv/dist/types/index.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import { userRegExp } from "./regex.js";

/**
 * JSON Schema `pattern` and `patternProperties` run on RE2 (re2js), not on JavaScript's backtracking
 * engine: a schema an agent or a task author wrote (`^(a+)+$`) cannot hang a validation, and a pattern
 * RE2 cannot run fails to compile with a message that says why.
 */
const regExp: RegExpEngine = Object.assign((pattern: string, flags: string) => userRegExp(pattern, flags), {
  code: "re2js",
});

/**
 * The one way Handoff builds an ajv instance for user-written schemas: draft 2020-12 or draft-07,
 * `strict: false` (OpenAI-style schemas carry extra keywords), every error, linear-time patterns.
 */
export function newAjv(draft: "2020-12" | "draft-07"): Ajv | Ajv2020 {
  const options = { strict: false, allErrors: true, code: { regExp } };
  return draft === "2020-12" ? new Ajv2020(options) : new Ajv(options);
}

/** The draft a schema declares: 2020-12 when its `$schema` says so, otherwise `fallback`. */
export function draftOf(schema: unknown, fallback: "2020-12" | "draft-07"): "2020-12" | "draft-07" {
  const declared = (schema as { $schema?: unknown } | null)?.$schema;
  if (typeof declared !== "string") return fallback;
  if (declared.includes("2020-12")) return "2020-12";
  if (declared.includes("draft-07")) return "draft-07";
  return fallback;
}
