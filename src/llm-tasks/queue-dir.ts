import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";

/** Where the queue lives unless LLM_AGENT_QUEUE_DIR says otherwise (relative to the working directory). */
export const DEFAULT_QUEUE_DIR = "workspaces/logs/agent_tasks";
/** The older location, still used when it is the only one that exists. */
export const LEGACY_QUEUE_DIR = "logs/agent_tasks";

/**
 * The queue folder: `LLM_AGENT_QUEUE_DIR` if set, else `workspaces/logs/agent_tasks`, else
 * `logs/agent_tasks` when only that one exists. Returned as an absolute path.
 */
export function resolveQueueDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const explicit = env.LLM_AGENT_QUEUE_DIR?.trim();
  if (explicit) return resolve(cwd, explicit);
  const preferred = resolve(cwd, DEFAULT_QUEUE_DIR);
  const legacy = resolve(cwd, LEGACY_QUEUE_DIR);
  if (!existsSync(preferred) && existsSync(legacy)) return legacy;
  return preferred;
}

/** The folders inside a queue. */
export interface QueuePaths {
  root: string;
  /** `pending/<id>.json`: calls waiting for an answer. */
  pending: string;
  /** `results/<id>.json`: answers. */
  results: string;
  /** `failover/<id>.json`: the last API failure of a task, carried into a later pending file. */
  failover: string;
  /** `.locks/<id>.lock`: held for a moment while a pending file is rewritten (claim, release). */
  locks: string;
}

export function queuePaths(root: string): QueuePaths {
  return {
    root,
    pending: join(root, "pending"),
    results: join(root, "results"),
    failover: join(root, "failover"),
    locks: join(root, ".locks"),
  };
}

/** A path as recorded in a pending file: relative to `cwd` when inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
