import { newAjv, schemaDraft } from "../util/json-schema.js";

/**
 * Compiles a user-supplied JSON Schema (an outputSchema or a json-schema validator's schema) and returns
 * why it is not valid, or undefined. Draft 2020-12 when `$schema` says so, draft-07 otherwise.
 */
export function jsonSchemaProblem(schema: unknown): string | undefined {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    return "a JSON Schema must be an object";
  }
  const ajv = newAjv(schemaDraft(schema, "draft-07"));
  try {
    ajv.compile(schema);
    return undefined;
  } catch (error) {
    return `not a valid JSON Schema: ${(error as Error).message}`;
  }
}
