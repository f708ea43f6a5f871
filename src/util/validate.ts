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

/**
 * How deep JSON and YAML input may nest. Real files stay far below it; past a few thousand levels the
 * recursive walks over a value (canonicalisation for the task id, JSON.stringify) overflow the stack.
 */
export const MAX_NESTING = 512;

/**
 * Refuses a value nested deeper than {@link MAX_NESTING} with a ConfigError naming `source` and the JSON
 * path where the limit is crossed. The walk is iterative, so it cannot overflow itself.
 */
export function assertNesting(value: unknown, source: string): void {
  type Entry = { value: unknown; depth: number; key: PropertyKey | undefined; parent: Entry | undefined };
  const stack: Entry[] = [{ value, depth: 0, key: undefined, parent: undefined }];
  while (stack.length) {
    const entry = stack.pop()!;
    if (typeof entry.value !== "object" || entry.value === null) continue;
    if (entry.depth >= MAX_NESTING) {
      const path: PropertyKey[] = [];
      for (let e: Entry | undefined = entry; e?.key !== undefined; e = e.parent) path.unshift(e.key);
      const problem = `${jsonPath(path)}: nested more than ${MAX_NESTING} levels deep`;
      throw new ConfigError(`${source}: ${problem}`, source, [problem]);
    }
    const children = Array.isArray(entry.value)
      ? entry.value.map((v, i) => [i, v] as const)
      : Object.entries(entry.value);
    for (const [key, child] of children) {
      if (typeof child === "object" && child !== null)
        stack.push({ value: child, depth: entry.depth + 1, key, parent: entry });
    }
  }
}

/**
 * Parses JSON text; a syntax error names the source and the position, and a value nested deeper than
 * {@link MAX_NESTING} is refused the same way.
 */
export function parseJsonText(text: string, source: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source}: malformed JSON: ${(error as Error).message}`, source);
  }
  // Nesting N levels takes at least 2N characters: a shorter text cannot cross the limit.
  if (text.length > 2 * MAX_NESTING) assertNesting(value, source);
  return value;
}

// `yaml` is loaded on first use: it is the largest module at startup, and most commands (queue list,
// the LLM client) never read YAML.
let yamlModule: typeof Yaml | undefined;
function loadYaml(): typeof Yaml {
  return (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof Yaml);
}

/** How many alias expansions a YAML file may make: a few are handy, a billion laughs is an attack. */
const MAX_YAML_ALIASES = 100;

/**
 * Parses YAML text (JSON is valid YAML); a syntax error names the source, line and column. So does an
 * alias to an anchor that is not defined (`*nope`), and an alias bomb (more than
 * {@link MAX_YAML_ALIASES} expansions), which is refused before it is expanded.
 */
export function parseYamlText(text: string, source: string): unknown {
  const { LineCounter, parseDocument, visit } = loadYaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const malformed = (offset: number, message: string): ConfigError => {
    const { line, col } = lineCounter.linePos(offset);
    return new ConfigError(`${source}: malformed YAML at line ${line}, column ${col}: ${message}`, source);
  };
  const [first] = doc.errors;
  if (first) throw malformed(first.pos[0], first.message);
  let firstAlias: number | undefined;
  visit(doc, {
    Alias(_, alias) {
      const offset = alias.range?.[0] ?? 0;
      firstAlias ??= offset;
      if (alias.resolve(doc) === undefined)
        throw malformed(offset, `alias *${alias.source} has no anchor &${alias.source} before it`);
    },
  });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (!(error instanceof ReferenceError) || firstAlias === undefined) throw error;
    throw malformed(firstAlias, `aliases expand more than ${MAX_YAML_ALIASES} times (an alias bomb?)`);
  }
  assertNesting(value, source);
  return value;
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
