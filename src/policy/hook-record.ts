// The hook's own record of what it decided: one JSON line per decision, appended to a file in the run's
// evidence folder (outside the worktree). Some CLIs leave the calls their hook blocked out of their own
// output (Codex), so the run reads this record to know what was denied and by which rule.
import { appendFileSync } from "node:fs";

/** One decision of `handoff policy hook --record FILE`. */
export interface HookRecord {
  /** The tool as the policy saw it (`Bash`, `Write`, `apply_patch`…). */
  tool_name: string;
  /** The CLI's id of the call, when its hook input carries one (Claude Code, Codex). */
  tool_use_id?: string;
  /** The shell command, for command tools. */
  command?: string;
  /** The file written, for file tools. */
  file_path?: string;
  decision: "allow" | "deny";
  /** The hook's reason, which names the policy rule (`… (deny[0]): …`). */
  reason: string;
}

/** Appends one record. A single small `appendFileSync` write, so concurrent hook processes do not interleave. */
export function recordDecision(file: string | undefined, record: HookRecord): void {
  if (!file) return;
  appendFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

/** What a record says about the raw hook input (which may be malformed: the record must still be written). */
export function recordOf(input: unknown, decision: "allow" | "deny", reason: string): HookRecord {
  const raw = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const args =
    raw.tool_input && typeof raw.tool_input === "object" ? (raw.tool_input as Record<string, unknown>) : {};
  const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
  const command = text(args.command);
  const path = text(args.file_path) ?? text(args.notebook_path);
  const id = text(raw.tool_use_id);
  return {
    tool_name: text(raw.tool_name) ?? "?",
    ...(id ? { tool_use_id: id } : {}),
    ...(command !== undefined ? { command } : {}),
    ...(path !== undefined ? { file_path: path } : {}),
    decision,
    reason,
  };
}
