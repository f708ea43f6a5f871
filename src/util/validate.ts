import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { z } from "zod";
import { ConfigError } from "../errors.js";

/** Renders a zod issue path as a JSON path: `$.steps[2].command`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** Every problem of a failed parse, one line each: `$.path: message`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`);
}

/**
 * Validates `data` against `schema`. On failure throws a ConfigError that names `source` (a file path
 * or an input name) and lists every problem with its JSON path.
 */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, source: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const problems = describeIssues(result.error);
  const shown = problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join("; ")}`;
  throw new ConfigError(`${source}: ${shown}`, source, problems);
}

/** Parses JSON text; a syntax error names the source and the position. */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source}: malformed JSON: ${(error as Error).message}`, source);
  }
}

// `yaml` is loaded on first use: it is the largest module at startup, and most commands (queue list,
// the LLM client) never read YAML.
let yamlModule: typeof Yaml | undefined;
function loadYaml(): typeof Yaml {
  return (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof Yaml);
}

/** Parses YAML text (JSON is valid YAML); a syntax error names the source, line and column. */
export function parseYamlText(text: string, source: string): unknown {
  const { LineCounter, parseDocument } = loadYaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const [first] = doc.errors;
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    const where = ` at line ${line}, column ${col}`;
    throw new ConfigError(`${source}: malformed YAML${where}: ${first.message}`, source);
  }
  return doc.toJS();
}

/** Why a file could not be read, for a message that names it: `cannot read (ENOENT)`. */
export function cannotRead(error: unknown, what?: string): string {
  const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error);
  return `cannot read${what ? ` ${what}` : ""} (${why})`;
}

/** The text of a config or data file; a ConfigError names the file and why it could not be read. */
export async function readConfigText(file: string, what?: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(`${file}: ${cannotRead(error, what)}`, file);
  }
}

/** Reads a JSON file and validates it against a schema. */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>> {
  return parseWith(schema, parseJsonText(await readConfigText(file), file), file);
}

/** Reads a YAML or JSON file (by content, so `.json` and `.yaml` both work) and validates it. */
export async function readYamlFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>> {
  return parseWith(schema, parseYamlText(await readConfigText(file), file), file);
}
