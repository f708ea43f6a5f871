import { readFile } from "node:fs/promises";
import { ConfigError } from "../errors.js";
import { parseJsonText, parseWith, parseYamlText } from "../util/validate.js";
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
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: cannot read policy (${code ?? (error as Error).message})`, file);
  }
  return parsePolicyText(text, file);
}
