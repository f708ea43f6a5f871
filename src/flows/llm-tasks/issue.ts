/**
 * How a pending LLM task looks as an issue: its marker, title, labels and body. Pure functions, so the
 * CLI, the app and the Action render the same issue for the same task.
 */
import { createHash } from "node:crypto";
import type { LabelSpec } from "../../forge/types.js";
import { rerunCommand } from "../../llm-tasks/prompt.js";
import { shellQuote } from "../../util/shell-quote.js";
import type { PendingTask } from "../../llm-tasks/schemas.js";

/** Every LLM-task issue carries this label; sync lists open issues by it. */
export const LLM_TASK_LABEL: LabelSpec = {
  name: "handoff:llm-task",
  color: "5319e7",
  description: "A pipeline's LLM call waiting for an answer (/complete)",
};

// GitHub refuses label names longer than 50 characters; task names may have 128.
const MAX_LABEL = 50;

/** `task:<task>`, shortened with a hash suffix when GitHub's 50-character limit would cut it. */
export function taskLabel(task: string): LabelSpec {
  let name = `task:${task}`;
  if (name.length > MAX_LABEL) {
    const hash = createHash("sha256").update(task).digest("hex").slice(0, 6);
    name = `${name.slice(0, MAX_LABEL - 7)}~${hash}`;
  }
  return { name, color: "c5def5", description: `LLM tasks of ${task}`.slice(0, 100) };
}

/** The hidden marker that ties an issue to its task; always the body's first line. */
export function taskMarker(id: string): string {
  return `<!-- handoff:llm-task id=${id} -->`;
}

const MARKER_LINE = /^<!-- handoff:llm-task id=([A-Za-z0-9][A-Za-z0-9._-]{0,127}__[0-9a-f]{16}) -->$/;

/**
 * The task id an issue body is for, or null. Only the first line counts: message text quoted further
 * down could hold a look-alike marker, and must not make the issue answer another task.
 */
export function taskIdOfBody(body: string): string | null {
  const first = body.split("\n", 1)[0]!.trim();
  return MARKER_LINE.exec(first)?.[1] ?? null;
}

export function taskIssueTitle(task: PendingTask): string {
  return `LLM task ${task.task}: ${task.id}`;
}

/** The runbook: its text (the queue is on disk), a link (the queue is on a branch), or just its path. */
export type RunbookRef = { path: string; text?: string; url?: string } | null;

/** What the body says about where answers go, so the reader knows how the pipeline continues. */
export interface QueueLocation {
  /** The branch holding the queue. */
  branch: string;
  /** The queue folder on it. */
  dir: string;
}

// Messages longer than this are folded, so the answer format and instructions stay in view.
const FOLD_CHARS = 1200;
const FOLD_LINES = 20;

/** A fenced block that no backtick run in `text` can close early. */
export function fenced(text: string, lang = ""): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text.replace(/\n$/, "")}\n${fence}`;
}

function messageText(content: unknown): string {
  return typeof content === "string" ? content : JSON.stringify(content, null, 2);
}

function foldable(summary: string, body: string, fold: boolean): string[] {
  if (!fold) return [`**${summary}**`, "", body];
  return ["<details>", `<summary>${summary}</summary>`, "", body, "", "</details>"];
}

function answerFormat(task: PendingTask): { lines: string[]; lang: string; example: string } {
  const format = task.response_format;
  if (!format || format.type === "text")
    return { lines: ["Plain text."], lang: "text", example: "your answer" };
  if (format.type === "json_object")
    return { lines: ["One JSON object, nothing else."], lang: "json", example: '{ "…": "…" }' };
  return {
    lines: [
      "JSON, nothing else, valid against this JSON Schema:",
      "",
      fenced(JSON.stringify(format.json_schema?.schema, null, 2), "json"),
    ],
    lang: "json",
    example: '{ "…": "…" }',
  };
}

/**
 * The issue body for a pending task: marker, what is asked, the runbook, the answer format, the
 * messages (long ones folded in `<details>`), and exactly how to answer.
 */
export function renderTaskIssueBody(
  task: PendingTask,
  runbook: RunbookRef,
  queue: QueueLocation,
  permission: string,
): string {
  const format = answerFormat(task);
  const lines = [
    taskMarker(task.id),
    "",
    `A pipeline is waiting for the answer to the LLM call **${task.task}** (\`${task.id}\`).`,
    "Answer it here with a `/complete` comment; the pipeline's rerun picks the answer up.",
    "",
    `- caller: \`${task.caller}\``,
    `- created: ${task.created_at}`,
  ];
  if (task.claimed_by) lines.push(`- claimed by: ${task.claimed_by}`);
  if (task.failover) lines.push(`- the API was tried first and failed: ${task.failover.error}`);
  if (Object.keys(task.options).length) lines.push(`- call options: \`${JSON.stringify(task.options)}\``);
  lines.push("", "## Runbook", "");
  if (!runbook) lines.push("No runbook is mapped to this task: answer the messages as the model would.");
  else if (runbook.text !== undefined) lines.push(...foldable(runbook.path, runbook.text.trimEnd(), true));
  else if (runbook.url) lines.push(`Follow [${runbook.path}](${runbook.url}).`);
  else lines.push(`Follow \`${runbook.path}\` (relative to where the pipeline ran).`);
  lines.push("", "## Answer format", "", ...format.lines, "", "## Messages");
  for (const message of task.messages) {
    const text = messageText(message.content);
    const fold = text.length > FOLD_CHARS || text.split("\n").length > FOLD_LINES;
    const summary = fold ? `${message.role} (${text.split("\n").length} lines)` : message.role;
    lines.push("", ...foldable(summary, fenced(text), fold));
  }
  lines.push(
    "",
    "## How to answer",
    "",
    "Comment with `/complete` as the first word, then the answer in a fenced block (or as the rest of the comment):",
    "",
    fenced(`/complete\n${fenced(format.example, format.lang)}`, "markdown"),
    "",
    `Only users with at least \`${permission}\` permission can complete it. A valid answer is committed to ` +
      `\`${queue.dir}/results/${task.id}.json\` on branch \`${queue.branch}\` and this issue is closed; an ` +
      "invalid one gets a reply listing each problem and changes nothing.",
    "",
    "Then the pipeline continues where it stopped:",
    "",
    fenced(`handoff queue pull\ncd ${shellQuote(task.invocation.cwd)} && ${rerunCommand(task)}`, "sh"),
  );
  return `${lines.join("\n")}\n`;
}
