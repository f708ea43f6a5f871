import { RE2JS } from "re2js";

/** The part of a regular expression Handoff needs: a yes/no search. */
export interface LinearRegExp {
  test(text: string): boolean;
  /** `/source/flags`, like a RegExp's. */
  toString(): string;
}

const cache = new Map<string, LinearRegExp>();

/**
 * Compiles a regular expression a user wrote (a policy's `deny_patterns`, a JSON Schema `pattern`)
 * with RE2 semantics through re2js: matching takes linear time, so `^(a+)+$` against a long run of
 * `a`s cannot hang a hook, a check or a run. JavaScript syntax is translated (`\u00e9`, named
 * groups); what RE2 cannot run in linear time (look-around, back-references) throws a SyntaxError
 * that says so.
 */
export function userRegExp(source: string, flags = ""): LinearRegExp {
  const key = `${flags}/${source}`;
  let re = cache.get(key);
  if (re) return re;
  let compiled: RE2JS;
  try {
    const flagBits =
      (flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0) |
      (flags.includes("s") ? RE2JS.DOTALL : 0) |
      (flags.includes("m") ? RE2JS.MULTILINE : 0);
    compiled = RE2JS.compile(RE2JS.translateRegExp(source), flagBits);
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/^error parsing regexp: /, "") : String(error);
    throw new SyntaxError(
      `${why} (patterns run on a linear-time engine, RE2: look-around and back-references are not supported)`,
    );
  }
  // `toString` like a RegExp's: ajv keys its compiled patterns by it.
  re = { test: (text: string) => compiled.test(text), toString: () => `/${source}/${flags}` };
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}

/** Why `source` cannot be used as a user regular expression, or null when it can. */
export function userRegExpError(source: string): string | null {
  try {
    userRegExp(source);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
