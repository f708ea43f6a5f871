import { readFileSync } from "node:fs";
import { parsePlaybook, type Playbook } from "../../src/playbooks/schema.js";

/** A playbook from plain data, validated like a file. */
export function playbook(steps: unknown[], extra: Record<string, unknown> = {}): Playbook {
  return parsePlaybook({ name: "test", steps, ...extra }, "test.yaml");
}

/** True while `pid` exists and is not a zombie (PID 1 in a container may not reap orphans). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Polls `predicate` for up to `ms`. */
export async function eventually(predicate: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return predicate();
}
