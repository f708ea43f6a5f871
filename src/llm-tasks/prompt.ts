import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { shellQuote } from "../util/shell-quote.js";
import type { PendingTask } from "./schemas.js";

/** The command that reruns the pipeline that wrote a pending task. */
export function rerunCommand(task: PendingTask): string {
  return task.invocation.argv.map(shellQuote).join(" ");
}

function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  return JSON.stringify(content, null, 2);
}

/**
 * A pending task laid out for an agent or person to read: the runbook first (how to answer), then what
 * the answer must look like, then the messages, then the exact commands to finish.
 */
export async function renderPrompt(task: PendingTask, status: string): Promise<string> {
  const lines: string[] = [`# LLM task ${task.id}`, ""];
  lines.push(
    `- task: ${task.task}`,
    `- status: ${status}`,
    `- created: ${task.created_at}`,
    `- caller: ${task.caller}`,
  );
  if (task.claimed_by) lines.push(`- claimed by: ${task.claimed_by} at ${task.claimed_at ?? "?"}`);
  lines.push(`- answer goes to: ${task.result_path}`);
  if (task.failover)
    lines.push(`- the API was tried first and failed: ${task.failover.error} (${task.failover.at})`);
  lines.push("", "## Runbook", "");
  if (task.runbook_path) {
    const file = resolve(task.invocation.cwd, task.runbook_path);
    const text = await readFile(file, "utf8").catch(() => undefined);
    lines.push(`(${task.runbook_path})`, "", text?.trimEnd() ?? `The runbook ${file} cannot be read.`);
  } else {
    lines.push("No runbook is mapped to this task: answer the messages below as the model would.");
  }
  lines.push("", "## Answer format", "");
  const format = task.response_format;
  if (!format || format.type === "text") lines.push("Plain text.");
  else if (format.type === "json_object") lines.push("One JSON object, nothing else.");
  else
    lines.push(
      "JSON, nothing else, valid against this JSON Schema:",
      "",
      "```json",
      JSON.stringify(format.json_schema?.schema, null, 2),
      "```",
    );
  if (Object.keys(task.options).length) lines.push("", `Call options: ${JSON.stringify(task.options)}`);
  lines.push("", "## Messages");
  for (const message of task.messages)
    lines.push("", `### ${message.role}`, "", messageText(message.content));
  lines.push(
    "",
    "## Finish",
    "",
    "```sh",
    `handoff queue claim ${task.id}`,
    `handoff queue complete ${task.id} --content-file answer.txt`,
    `cd ${shellQuote(task.invocation.cwd)} && ${rerunCommand(task)}`,
    "```",
    "",
  );
  return lines.join("\n");
}
