import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { packageRoot } from "../util/package-root.js";
import { readYamlFile } from "../util/validate.js";

/** Where the task → runbook mapping is looked for, in order, relative to the working directory. */
export const DEFAULT_RUNBOOKS_CONFIG = "runbooks/index.yaml";
export const LEGACY_RUNBOOKS_CONFIG = "configs/agent_runbooks.yaml";

/**
 * `runbooks/index.yaml`: which runbook explains how to answer a task. Paths are relative to the
 * folder of this file. Lookup: exact task name, then the longest matching prefix, then `default`.
 */
export const RunbookIndexSchema = z.strictObject({
  schema_version: z.literal(1).optional(),
  /** The runbook for tasks nothing else matches. */
  default: z.string().min(1).optional(),
  /** Exact task name → runbook. */
  tasks: z.record(z.string(), z.string().min(1)).default({}),
  /** Task name prefix → runbook; the longest matching prefix wins. */
  prefixes: z.record(z.string(), z.string().min(1)).default({}),
});
export type RunbookIndex = z.infer<typeof RunbookIndexSchema>;

/**
 * The runbook config in force: LLM_AGENT_RUNBOOKS_CONFIG (must exist), else `runbooks/index.yaml`, else
 * `configs/agent_runbooks.yaml`, else the runbooks shipped with Handoff.
 */
export function resolveRunbooksConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string {
  const explicit = env.LLM_AGENT_RUNBOOKS_CONFIG?.trim();
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new ConfigError(`LLM_AGENT_RUNBOOKS_CONFIG: ${file} does not exist`, file);
    return file;
  }
  for (const candidate of [DEFAULT_RUNBOOKS_CONFIG, LEGACY_RUNBOOKS_CONFIG]) {
    const file = resolve(cwd, candidate);
    if (existsSync(file)) return file;
  }
  return join(packageRoot(), DEFAULT_RUNBOOKS_CONFIG);
}

/** Which entry of a runbook index applies to a task, as a JSON path (for messages) and a path. */
export function matchRunbook(index: RunbookIndex, task: string): { rule: string; path: string } | undefined {
  const exact = index.tasks[task];
  if (exact) return { rule: `$.tasks[${JSON.stringify(task)}]`, path: exact };
  const prefix = Object.keys(index.prefixes)
    .filter((p) => task.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix !== undefined)
    return { rule: `$.prefixes[${JSON.stringify(prefix)}]`, path: index.prefixes[prefix]! };
  return index.default ? { rule: "$.default", path: index.default } : undefined;
}

/**
 * The absolute path of the runbook for `task`, or null when the config maps nothing to it. A mapped
 * runbook that does not exist is a ConfigError naming the config file and the entry.
 */
export async function runbookFor(
  task: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<string | null> {
  const config = resolveRunbooksConfig(env, cwd);
  const index = await readYamlFile(config, RunbookIndexSchema);
  const match = matchRunbook(index, task);
  if (!match) return null;
  const file = isAbsolute(match.path) ? match.path : resolve(dirname(config), match.path);
  if (!existsSync(file)) {
    throw new ConfigError(`${config}: ${match.rule}: runbook ${file} does not exist`, config, [
      `${match.rule}: missing file`,
    ]);
  }
  return file;
}
