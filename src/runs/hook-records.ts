/**
 * Reading what Handoff's tool hook decided during one agent invocation (`policy hook --record FILE`), and
 * matching those decisions to the tool calls the CLI reported. The hook's record is the authority: some
 * CLIs (Codex) leave a call their hook blocked out of their output altogether.
 */
import { readFile, stat } from "node:fs/promises";
import type { HookRecord } from "../policy/hook-record.js";
import type { ToolCallReport } from "../runtimes/index.js";

/** The record file's size now: the next invocation's records start there. */
export async function recordOffset(file: string | undefined): Promise<number> {
  if (!file) return 0;
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

/** The records appended since `offset`; a line that is not a record (a torn write) is skipped. */
export async function readHookRecords(file: string | undefined, offset: number): Promise<HookRecord[]> {
  if (!file) return [];
  const text = await readFile(file).then(
    (buffer) => buffer.subarray(offset).toString("utf8"),
    () => "",
  );
  const records: HookRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as Partial<HookRecord>;
      if ((value.decision === "allow" || value.decision === "deny") && typeof value.reason === "string")
        records.push(value as HookRecord);
    } catch {
      // not a whole record
    }
  }
  return records;
}

/** The rule the hook named in its reason (`… (deny[0]): …`, `allowed by allow[2]`). */
export function ruleFromReason(reason: string | undefined, fallback = "permission-denied"): string {
  return (
    /\b((?:allow|deny|deny_if_contains|deny_patterns)\[\d+\]|default_action|parse-error|substitution|write-path|fail(?:ed)? closed)(?![\w-])/.exec(
      reason ?? "",
    )?.[1] ?? fallback
  ).replace(/^fail(?:ed)? closed$/, "fail-closed");
}

/**
 * Takes the record of `call` out of `records`: the one with the call's id (Claude Code, whose ids the
 * hook sees), else the first with the same command or file (Codex and Gemini ids differ from the hook's).
 */
export function takeRecord(
  records: HookRecord[],
  call: ToolCallReport,
  command: string | undefined,
): HookRecord | undefined {
  const file = (call.input as { file_path?: unknown } | undefined)?.file_path;
  let at = records.findIndex((r) => r.tool_use_id !== undefined && r.tool_use_id === call.id);
  if (at < 0)
    at = records.findIndex(
      (r) =>
        (command !== undefined && r.command === command) ||
        (typeof file === "string" && r.file_path === file) ||
        // Codex reports an applied patch as a `file_change` item.
        (call.name === "file_change" && r.tool_name === "apply_patch"),
    );
  return at < 0 ? undefined : records.splice(at, 1)[0];
}
