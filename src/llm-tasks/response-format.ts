import type { ValidateFunction } from "ajv";
import { ConfigError } from "../errors.js";
import { newAjv, schemaDraft, type JsonSchemaDraft } from "../util/json-schema.js";
import { canonicalize } from "./jcs.js";
import type { ResponseFormat } from "./schemas.js";

/** True when the response format asks for a JSON answer (any JSON, or JSON valid against a schema). */
export function wantsJson(format: ResponseFormat | null | undefined): boolean {
  return format?.type === "json_object" || format?.type === "json_schema";
}

// Compiling a schema costs far more than checking a value, and one pipeline asks the same thing often.
const compiled = new Map<string, ValidateFunction>();
const ajvs = new Map<JsonSchemaDraft, ReturnType<typeof newAjv>>();

function validatorFor(schema: Record<string, unknown>, source: string): ValidateFunction {
  const key = canonicalize(schema);
  const cached = compiled.get(key);
  if (cached) return cached;
  // OpenAI-style schemas are usually draft-07 or 2020-12; `strict: false` tolerates their extra keywords.
  const draft = schemaDraft(schema, "2020-12");
  const ajv = ajvs.get(draft) ?? newAjv(draft);
  ajvs.set(draft, ajv);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw new ConfigError(
      `${source}: response_format.json_schema.schema is not a valid JSON Schema: ${(error as Error).message}`,
      source,
    );
  }
  compiled.set(key, validate);
  return validate;
}

/**
 * Checks an answer against the task's response format. Plain-text formats accept anything; JSON formats
 * need JSON text, and `json_schema` needs it to satisfy the schema. Returns every problem found, each
 * as `$.json.path: message` (an empty list means the answer is acceptable).
 */
export function checkContent(
  format: ResponseFormat | null | undefined,
  content: string,
  source: string,
): string[] {
  if (!wantsJson(format)) return [];
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    return [
      `$: the task asks for JSON (${format?.type}) but the content is not JSON: ${(error as Error).message}`,
    ];
  }
  const schema = format?.json_schema?.schema;
  if (
    format?.type === "json_object" &&
    (typeof value !== "object" || value === null || Array.isArray(value))
  ) {
    return ["$: the task asks for a JSON object (json_object)"];
  }
  if (!schema) return [];
  const validate = validatorFor(schema, source);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `$${pointerToPath(e.instancePath)}: ${e.message ?? "invalid"}`);
}

/**
 * Throws a ConfigError when a json_schema response format carries something that is not a JSON Schema,
 * so a pipeline learns it when it asks, not when someone answers.
 */
export function assertResponseFormatUsable(format: ResponseFormat | null | undefined, source: string): void {
  const schema = format?.type === "json_schema" ? format.json_schema?.schema : undefined;
  if (schema) validatorFor(schema, source);
}

/** Throws a ConfigError naming `source` when the answer does not fit the response format. */
export function assertContent(
  format: ResponseFormat | null | undefined,
  content: string,
  source: string,
): void {
  const problems = checkContent(format, content, source);
  if (problems.length === 0) return;
  const shown = problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join("; ")}`;
  throw new ConfigError(
    `${source}: content does not satisfy the task's response_format: ${shown}`,
    source,
    problems,
  );
}

/** `/items/0/name` → `.items[0].name` */
function pointerToPath(pointer: string): string {
  if (!pointer) return "";
  return pointer
    .split("/")
    .slice(1)
    .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((key) =>
      /^\d+$/.test(key)
        ? `[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(key)
          ? `.${key}`
          : `[${JSON.stringify(key)}]`,
    )
    .join("");
}
