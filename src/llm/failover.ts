import { mkdir } from "node:fs/promises";
import { writeFileAtomic } from "../util/fs.js";
import { readJsonIfExists, toJsonText } from "../llm-tasks/files.js";
import type { TaskQueue } from "../llm-tasks/queue.js";
import { type Failover, FailoverSchema } from "../llm-tasks/schemas.js";
import { parseWith } from "../util/validate.js";

/**
 * Remembers that the API call of a task failed (`failover/<id>.json`). The failure is not turned into a
 * pending task (no API → THINK fallback); a later THINK/AGENT run of the same task copies it into its
 * pending file's `failover`, so whoever answers knows the API was tried and how it failed.
 */
export async function recordFailover(
  queue: TaskQueue,
  id: string,
  attempt: { error: string; provider: string; model: string },
  now = new Date(),
): Promise<Failover> {
  const previous = await readFailover(queue, id).catch(() => undefined);
  const record: Failover = {
    error: attempt.error,
    at: now.toISOString(),
    provider: attempt.provider,
    model: attempt.model,
    chain: [...(previous?.chain ?? []), `${attempt.provider}:${attempt.model}`],
  };
  await mkdir(queue.paths.failover, { recursive: true });
  await writeFileAtomic(queue.failoverPath(id), toJsonText(record));
  return record;
}

/** The remembered API failure of a task, if any. */
export async function readFailover(queue: TaskQueue, id: string): Promise<Failover | undefined> {
  const file = queue.failoverPath(id);
  const data = await readJsonIfExists(file);
  return data === undefined ? undefined : parseWith(FailoverSchema, data, file);
}
