/**
 * The sticky status comment of an issue's agent runs: one comment per issue, found by its hidden marker
 * and rewritten in place as a run goes queued → running → a final state. The comment also carries the
 * run's facts (agent, reason, run id, who started it) as hidden data, so a later event (`/stop`,
 * `/retry`, `workflow_run.completed`, a review) reads them from the one comment it fetches anyway:
 * the app keeps no state of its own.
 */
import { z } from "zod";
import type { Forge, ForgeComment, ForgeWrite } from "../../forge/types.js";
import { writeAll } from "../../forge/writes.js";

/** Queued and running are active: a second start is refused while one of them is shown. */
export const RunStateSchema = z.enum([
  "queued",
  "running",
  "success",
  "failure",
  "cancelled",
  "timed_out",
  "dispatch_failed",
]);
export type RunState = z.infer<typeof RunStateSchema>;

/** Why a run starts; the `reason` input of `handoff-agent.yml`. */
export const RunReasonSchema = z.enum(["label", "review", "retry", "dispatch"]);
export type RunReason = z.infer<typeof RunReasonSchema>;

export const StatusDataSchema = z.object({
  state: RunStateSchema,
  agent: z.string(),
  reason: RunReasonSchema,
  /** Who started the run (the label's, review's or command's sender). */
  requestedBy: z.string(),
  /** The review a `reason: review` run answers. */
  reviewId: z.number().int().nullable().default(null),
  /** The webhook delivery that started the run, so its redelivery is recognised. */
  delivery: z.string().nullable().default(null),
  /** The workflow run, once the forge reported it. */
  runId: z.number().int().nullable().default(null),
  runUrl: z.string().nullable().default(null),
  prUrl: z.string().nullable().default(null),
  evidenceUrl: z.string().nullable().default(null),
  /** One line about the state: a dispatch error, the conclusion's detail. */
  detail: z.string().nullable().default(null),
  updatedAt: z.string(),
});
export type StatusData = z.infer<typeof StatusDataSchema>;
export type StatusInput = z.input<typeof StatusDataSchema>;

export function isActive(state: RunState): boolean {
  return state === "queued" || state === "running";
}

/** The marker of issue N's status comment. */
export function statusMarker(issue: number): string {
  return `<!-- handoff:status issue=${issue} -->`;
}

const DATA = /<!-- handoff:status-data ([A-Za-z0-9_-]+) -->/;

const HEADLINE: Record<RunState, string> = {
  queued: "🟡 queued",
  running: "🔵 running",
  success: "✅ succeeded",
  failure: "❌ failed",
  cancelled: "⏹️ cancelled",
  timed_out: "⏱️ timed out",
  dispatch_failed: "⚠️ could not start",
};

/** Text for a table cell: one line, pipes and HTML neutralised (logins and details are untrusted). */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function link(label: string, url: string | null): string {
  return url ? `[${cell(label)}](${encodeURI(decodeURI(url))})` : "—";
}

/** The comment body: what a person reads, then the hidden data the next event reads. */
export function renderStatus(issue: number, data: StatusData): string {
  const reason = data.reason === "review" && data.reviewId !== null ? `review ${data.reviewId}` : data.reason;
  const rows = [
    ["Agent", `\`${cell(data.agent)}\``],
    ["Started by", `@${cell(data.requestedBy)} (${reason})`],
    ["Workflow run", link(data.runId ? `run ${data.runId}` : "run", data.runUrl)],
    ["Pull request", link("pull request", data.prUrl)],
    ["Evidence", link("evidence", data.evidenceUrl)],
  ];
  const table = ["| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n");
  const detail = data.detail ? `\n\n> ${cell(data.detail)}` : "";
  const hint = isActive(data.state)
    ? "`/stop` cancels the run · `/status` refreshes this comment"
    : "`/retry` runs the agent again · `/rollback [checkpoint]` returns the branch to a checkpoint";
  const encoded = Buffer.from(JSON.stringify(data)).toString("base64url");
  return [
    statusMarker(issue),
    `<!-- handoff:status-data ${encoded} -->`,
    `### Handoff on #${issue}: ${HEADLINE[data.state]}`,
    "",
    table + detail,
    "",
    `<sub>${hint} · updated ${data.updatedAt}</sub>`,
  ].join("\n");
}

/** The hidden data of a status comment body, or null when it is missing or not Handoff's. */
export function parseStatus(body: string): StatusData | null {
  const match = DATA.exec(body);
  if (!match) return null;
  try {
    const parsed = StatusDataSchema.safeParse(
      JSON.parse(Buffer.from(match[1]!, "base64url").toString("utf8")),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The issue's status comment among its comments, with its data. */
export interface StatusComment {
  comment: ForgeComment;
  data: StatusData | null;
}

/**
 * Finds the status comment. On GitHub only a bot's comment counts, so a person pasting the marker
 * cannot pose as the status; on the local forge every author is a user.
 */
export function findStatus(
  forge: Forge,
  issue: number,
  comments: readonly ForgeComment[],
): StatusComment | null {
  const marker = statusMarker(issue);
  const comment = comments.find(
    (c) => c.body.includes(marker) && (forge.kind === "local" || c.author.type === "Bot"),
  );
  return comment ? { comment, data: parseStatus(comment.body) } : null;
}

/**
 * Writes the status: updates `existing` in place, else creates the comment. No write when the
 * rendered body is what the comment already says. `also`: writes that do not depend on it (a label,
 * a reaction), made with it in one request where the forge can.
 */
export async function writeStatus(
  forge: Forge,
  issue: number,
  data: StatusInput,
  existing: StatusComment | null,
  also: readonly ForgeWrite[] = [],
): Promise<ForgeComment> {
  const next = StatusDataSchema.parse(data);
  const body = renderStatus(issue, next);
  const write: ForgeWrite | null = !existing
    ? { kind: "comment", issue, body }
    : existing.data && sameFacts(existing.data, next)
      ? null
      : { kind: "updateComment", commentId: existing.comment.id, body };
  const results = await writeAll(forge, write ? [write, ...also] : also);
  return (write ? results[0] : null) ?? existing!.comment;
}

/** Equal but for the time of the update: rewriting would only move the timestamp. */
function sameFacts(a: StatusData, b: StatusData): boolean {
  return JSON.stringify({ ...a, updatedAt: "" }) === JSON.stringify({ ...b, updatedAt: "" });
}
