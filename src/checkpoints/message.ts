/**
 * The message of a checkpoint tag: a subject line, an optional note, and a trailer block that
 * machines read back (`git tag -l --format='%(contents)'`, `git interpret-trailers --parse`):
 *
 *     Handoff checkpoint 4/3: iteration 2, done
 *
 *     Handoff-Checkpoint: 3
 *     Handoff-Issue: 4
 *     Handoff-Branch: handoff/issue-4-fix-login
 *     Handoff-Run: 2026-11-21T12-00-00Z-ab12
 *     Handoff-Agent: coder
 *     Handoff-Iteration: 2
 *     Handoff-End-Reason: done
 *     Handoff-Created-At: 2026-11-21T12:00:03.120Z
 */
import { z } from "zod";

/** What a checkpoint records about the moment it was taken. Every field is optional except `kind`. */
export const CheckpointMetadataSchema = z.object({
  /** `auto`: tagged by a run; `manual`: tagged by `handoff checkpoint`. */
  kind: z.enum(["auto", "manual"]),
  /** Number within the issue's series (absent for a named manual checkpoint). */
  number: z.number().int().positive().optional(),
  /** Name of a named manual checkpoint (`--name`). */
  name: z.string().optional(),
  /** Issue number or job id. */
  issue: z.string().optional(),
  /** Branch the checkpoint was taken on. */
  branch: z.string().optional(),
  /** Run id of the run that took it. */
  run_id: z.string().optional(),
  /** Agent name. */
  agent: z.string().optional(),
  /** Iteration of the run (0 = the base, before the first change). */
  iteration: z.number().int().nonnegative().optional(),
  /** End reason of the run when the checkpoint closes it (done, budget_exhausted, …). */
  end_reason: z.string().optional(),
  /** When it was taken, to the millisecond (tag dates have one-second resolution). */
  created_at: z.string().optional(),
});
export type CheckpointMetadata = z.infer<typeof CheckpointMetadataSchema>;

const TRAILERS: ReadonlyArray<[keyof CheckpointMetadata, string]> = [
  ["kind", "Handoff-Checkpoint-Kind"],
  ["number", "Handoff-Checkpoint"],
  ["name", "Handoff-Checkpoint-Name"],
  ["issue", "Handoff-Issue"],
  ["branch", "Handoff-Branch"],
  ["run_id", "Handoff-Run"],
  ["agent", "Handoff-Agent"],
  ["iteration", "Handoff-Iteration"],
  ["end_reason", "Handoff-End-Reason"],
  ["created_at", "Handoff-Created-At"],
];
const NUMERIC = new Set<keyof CheckpointMetadata>(["number", "iteration"]);

/** Trailer values are one line: anything after a line break could forge another trailer. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, " ").trim();
}

export function formatCheckpointMessage(meta: CheckpointMetadata, note?: string): string {
  const which = meta.name ?? (meta.number !== undefined ? `${meta.issue ?? "manual"}/${meta.number}` : "");
  const details = [
    meta.iteration !== undefined ? `iteration ${meta.iteration}` : "",
    meta.end_reason ?? "",
  ].filter(Boolean);
  const subject = `Handoff checkpoint ${which}${details.length ? `: ${details.join(", ")}` : ""}`.trim();
  const trailers = TRAILERS.flatMap(([key, trailer]) => {
    const value = meta[key];
    return value === undefined || value === "" ? [] : [`${trailer}: ${oneLine(String(value))}`];
  });
  const body = note?.trim() ? `\n\n${note.trim()}` : "";
  return `${oneLine(subject)}${body}\n\n${trailers.join("\n")}\n`;
}

/**
 * Reads the metadata back from a tag message; null when the message has no Handoff trailer block
 * (a tag someone made by hand under the checkpoint namespace).
 */
export function parseCheckpointMessage(message: string): CheckpointMetadata | null {
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const last = paragraphs[paragraphs.length - 1] ?? "";
  const raw: Record<string, unknown> = {};
  for (const line of last.split("\n")) {
    const match = /^(Handoff-[A-Za-z-]+):\s?(.*)$/.exec(line);
    if (!match) continue;
    const entry = TRAILERS.find(([, trailer]) => trailer === match[1]);
    if (!entry) continue;
    const [key] = entry;
    raw[key] = NUMERIC.has(key) ? Number(match[2]) : match[2];
  }
  if (!raw.kind) return null;
  const parsed = CheckpointMetadataSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
