/**
 * complete: a `/complete` comment on an open LLM-task issue answers the task. The answer is checked
 * exactly as `handoff queue complete` checks it (the shared `buildResult`), committed as
 * `results/<id>.json` to the queue branch, acknowledged, and the issue closed. Every refusal is a reply
 * that says why and changes nothing else.
 *
 * A redelivered comment has no second effect: the reply carries the comment's id in a hidden marker, and
 * a comment that already has its reply is not handled again (this holds across app replicas).
 */
import type { HandoffConfig } from "../../config/schema.js";
import { ConfigError } from "../../errors.js";
import { type Forge, type Permission, permits } from "../../forge/types.js";
import { writeAll } from "../../forge/writes.js";
import { toJsonText } from "../../llm-tasks/files.js";
import { buildResult } from "../../llm-tasks/result.js";
import { type TaskResult, parseTaskResult } from "../../llm-tasks/schemas.js";
import { parseJsonText } from "../../util/validate.js";
import { isBot } from "../agent-runs/sender.js";
import { isCompleteCommand, parseCompleteCommand } from "./command.js";
import { fenced, taskIdOfBody } from "./issue.js";
import { branchPaths, readPendingOnBranch } from "./queue-source.js";

/** What a face knows about the comment (from a webhook payload, or the local forge). */
export interface CompleteEvent {
  issue: { number: number; body: string; state: "open" | "closed"; isPullRequest?: boolean };
  comment: { id: number; body: string };
  sender: { login: string; type: string };
}

export type CompleteOutcome =
  /** Not for us: not a `/complete`, not an LLM-task issue, or a bot's comment. No reply. */
  | { kind: "ignored"; reason: string }
  /** This comment was handled before (a redelivery). Nothing done. */
  | { kind: "duplicate" }
  /** Refused with a reply; nothing written. */
  | { kind: "refused"; id: string | null; reason: string; problems: string[] }
  | { kind: "completed"; id: string; result: TaskResult; path: string; dispatched: boolean };

/** The marker of the reply to comment `commentId`; finding it means the comment was handled. */
export function replyMarker(commentId: number): string {
  return `<!-- handoff:complete comment=${commentId} -->`;
}

/**
 * Why a comment is not a `/complete` to handle, or null when it is one. Costs no API call, so a face
 * asks this before loading anything: most comments are not commands.
 */
export function ignoreReason(event: CompleteEvent): string | null {
  if (!isCompleteCommand(event.comment.body)) return "not a /complete comment";
  // A bot's comments (the app's own included) are never commands.
  if (isBot(event.sender)) return `${event.sender.login} is a bot`;
  if (event.issue.isPullRequest) return "a pull request, not an LLM-task issue";
  if (!taskIdOfBody(event.issue.body)) return `#${event.issue.number} is not an LLM-task issue`;
  return null;
}

export interface CompleteOptions {
  now?: Date;
}

export async function completeFromComment(
  forge: Forge,
  config: HandoffConfig,
  event: CompleteEvent,
  options: CompleteOptions = {},
): Promise<CompleteOutcome> {
  const ignored = ignoreReason(event);
  if (ignored) return { kind: "ignored", reason: ignored };
  const command = parseCompleteCommand(event.comment.body)!;
  const id = taskIdOfBody(event.issue.body)!;

  const marker = replyMarker(event.comment.id);
  const comments = await forge.listComments(event.issue.number);
  if (comments.some((c) => c.body.includes(marker))) return { kind: "duplicate" };

  const queue = config.llm_tasks;
  const paths = branchPaths(queue);
  const refuse = async (reason: string, problems: string[] = []): Promise<CompleteOutcome> => {
    const list = problems.length ? `\n\n${problems.map((p) => `- \`${p}\``).join("\n")}` : "";
    await forge.createComment(
      event.issue.number,
      `${marker}\n@${event.sender.login} ${reason}${list}\n\nNothing was written; this issue stays open.`,
    );
    return { kind: "refused", id, reason, problems };
  };

  const permission: Permission = await forge.getPermission(event.sender.login);
  if (!permits(permission, config.permission)) {
    return refuse(
      `your permission on this repository is \`${permission}\`; completing an LLM task needs ` +
        `\`${config.permission}\` or higher (config \`permission\` in .github/handoff.yml).`,
    );
  }
  if (event.issue.state !== "open")
    return refuse("this issue is closed, so its task is not open to answers.");

  // Both reads at once: a whole /complete is a chain of round trips, and these two do not depend.
  const [existing, task] = await Promise.all([
    forge.readFile(paths.resultFile(id), queue.branch),
    readPendingOnBranch(forge, queue, id).catch((error: unknown) => {
      if (error instanceof ConfigError) return error;
      throw error;
    }),
  ]);
  if (existing) {
    const source = `${queue.branch}:${paths.resultFile(id)}`;
    const first = parseTaskResult(parseJsonText(existing.content, source), source);
    const by = first.completed_by ? ` by ${first.completed_by}` : "";
    return refuse(
      `\`${id}\` is already completed${by} at ${first.completed_at}; the first result is kept (\`${source}\`).`,
    );
  }
  if (task instanceof ConfigError)
    return refuse(`the pending file is invalid: ${task.message}`, [...task.problems]);
  if (!task) {
    return refuse(
      `there is no pending file \`${paths.pendingFile(id)}\` on branch \`${queue.branch}\` ` +
        "(run `handoff queue push` where the pipeline ran).",
    );
  }

  let result: TaskResult;
  try {
    result = buildResult(
      task,
      { content: command.content, agent: event.sender.login, now: options.now },
      `answer to ${id}`,
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error.problems.length ? [...error.problems] : [error.message];
    return refuse(
      `the answer (${command.source}) does not satisfy the task's response format ` +
        `(${task.response_format?.type ?? "text"}):`,
      problems,
    );
  }

  await forge.commitFile({
    branch: queue.branch,
    path: paths.resultFile(id),
    content: toJsonText(result),
    message: `Complete LLM task ${id}\n\nAnswered by @${event.sender.login} in #${event.issue.number}.`,
  });
  const dispatched = await dispatchRerun(forge, config);
  const next = dispatched
    ? `Workflow \`${config.llm_tasks.rerun!.workflow}\` was dispatched to rerun the pipeline.`
    : "Rerun the pipeline where it stopped after `handoff queue pull`; it picks the result up and goes on.";
  // The result is safe on the branch; acknowledging, replying and closing do not depend on each other:
  // one request where the forge can.
  await writeAll(forge, [
    { kind: "react", commentId: event.comment.id, content: "rocket" },
    {
      kind: "comment",
      issue: event.issue.number,
      body:
        `${marker}\nThanks @${event.sender.login}: the answer to \`${id}\` is committed to ` +
        `\`${paths.resultFile(id)}\` on branch \`${queue.branch}\`.\n\n${next}\n\n` +
        `<details><summary>result</summary>\n\n${fenced(toJsonText(result), "json")}\n\n</details>`,
    },
    { kind: "close", issue: event.issue.number },
  ]);
  return { kind: "completed", id, result, path: paths.resultFile(id), dispatched };
}

/** Dispatches the configured rerun workflow; false when the config names none. */
async function dispatchRerun(forge: Forge, config: HandoffConfig): Promise<boolean> {
  const rerun = config.llm_tasks.rerun;
  if (!rerun) return false;
  await forge.dispatchWorkflow({
    workflow: rerun.workflow,
    ref: rerun.ref ?? (await forge.defaultBranch()),
    inputs: { ...rerun.inputs },
  });
  return true;
}
