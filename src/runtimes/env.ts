/**
 * The environment an agent CLI gets: a small base that any program needs to run (PATH, HOME, locale,
 * temp dir, terminal), the variables the agent's `runtime.env` names, and what the adapter itself sets.
 * Nothing else from Handoff's own environment leaks through — in particular no token the agent did not ask for.
 */
import { ENV_NAME } from "../agents/schema.js";

/** Variables every child needs to behave like a normal program; none of them is a credential. */
export const BASE_ENV_NAMES = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TZ",
  "TMPDIR",
  "TEMP",
  "TMP",
  "TERM",
  "COLORTERM",
  "NO_COLOR",
  "CI",
  "SystemRoot",
  "ComSpec",
  "PATHEXT",
] as const;

/** Every name that is not a valid environment variable name (so a value pasted by mistake is caught). */
export function invalidEnvNames(names: readonly string[]): string[] {
  return names.filter((name) => !ENV_NAME.test(name));
}

/**
 * Builds a child environment from `source`: the base names, then `names` (only when set), then `extra`
 * (the adapter's own settings, which win).
 */
export function buildChildEnv(
  source: NodeJS.ProcessEnv,
  names: readonly string[] = [],
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...BASE_ENV_NAMES, ...names]) {
    const value = source[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

/**
 * The names of `runtime.env` a CLI gets for itself and the tools it runs must not see: all but the base
 * set (PATH, HOME…) — the same names whose values `passedSecrets` registers with the redactor.
 */
export function credentialNames(names: readonly string[] = []): string[] {
  const base = new Set<string>(BASE_ENV_NAMES);
  return [...new Set(names)].filter((name) => !base.has(name));
}

/** The values of the passed-through names, so the caller can register them with the redactor. */
export function passedSecrets(source: NodeJS.ProcessEnv, names: readonly string[] = []): string[] {
  const base = new Set<string>(BASE_ENV_NAMES);
  return names
    .filter((name) => !base.has(name))
    .map((name) => source[name])
    .filter((value): value is string => typeof value === "string" && value.length >= 4);
}
