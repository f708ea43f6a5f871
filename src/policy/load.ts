import { parseJsonText, parseWith, parseYamlText, readConfigText } from "../util/validate.js";
import { type Policy, PolicySchema } from "./schema.js";

/** Validates an already-parsed policy object; ConfigError lists every problem with its JSON path. */
export function parsePolicy(data: unknown, source = "policy"): Policy {
  return parseWith(PolicySchema, data, source);
}

/**
 * Parses policy text: JSON when it looks like a JSON object (fast, no YAML parser loaded), YAML
 * otherwise. `source` names the file in error messages.
 */
export function parsePolicyText(text: string, source: string): Policy {
  const data = /^\s*\{/.test(text) ? parseJsonText(text, source) : parseYamlText(text, source);
  return parsePolicy(data, source);
}

/** Reads a JSON or YAML policy file. ConfigError (exit 2) on an unreadable, malformed or invalid file. */
export async function loadPolicy(file: string): Promise<Policy> {
  return parsePolicyText(await readConfigText(file, "policy"), file);
}
