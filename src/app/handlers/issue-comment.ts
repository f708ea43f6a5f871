import type { Context } from "probot";
import type { CompleteEvent } from "../../flows/llm-tasks/complete.js";
import { onCommentCreated as onAgentCommand } from "../../flows/agent-runs/events.js";
import { onCommentCreated } from "../../flows/llm-tasks/events.js";
import { defaultHandoffConfig } from "../../config/schema.js";
import { taskIdOfBody } from "../../flows/llm-tasks/issue.js";
import { branchPaths } from "../../flows/llm-tasks/queue-source.js";
import type { ReadAhead } from "../../forge/types.js";
import { forgeOf, loadConfig } from "../context.js";

/** The part of an `issue_comment` payload the flows read. */
function eventOf(payload: Context<"issue_comment.created">["payload"]): CompleteEvent {
  return {
    issue: {
      number: payload.issue.number,
      body: payload.issue.body ?? "",
      state: payload.issue.state === "closed" ? "closed" : "open",
      isPullRequest: Boolean(payload.issue.pull_request),
    },
    comment: { id: payload.comment.id, body: payload.comment.body },
    sender: { login: payload.sender.login, type: payload.sender.type },
  };
}

/**
 * What a command reads, to read with the config in one request: the issue's comments (the reply
 * markers, the status comment) and, for an LLM task's issue, its result and pending files and the
 * queue branch's head where the default config puts them (another config: read when needed).
 */
function readsOf(event: CompleteEvent): ReadAhead {
  const id = taskIdOfBody(event.issue.body);
  const queue = defaultHandoffConfig().llm_tasks;
  const paths = branchPaths(queue);
  return {
    comments: [event.issue.number],
    // Label ids: `/retry` writes its status and `handoff:running` in one request.
    labels: true,
    ...(id
      ? {
          files: [
            { path: paths.resultFile(id), ref: queue.branch },
            { path: paths.pendingFile(id), ref: queue.branch },
          ],
          branches: [queue.branch],
        }
      : {}),
  };
}

/** `issue_comment.created` → `/complete` on an LLM-task issue (src/flows/llm-tasks/events.ts). */
export async function onIssueComment(context: Context<"issue_comment.created">): Promise<void> {
  const event = eventOf(context.payload);
  const forge = forgeOf(context);
  const { issue, comment } = context.payload;
  forge.knowNodeIds({
    issues: { [issue.number]: issue.node_id },
    comments: { [comment.id]: comment.node_id },
  });
  const load = () => loadConfig(context, forge, readsOf(event));
  // A /complete always checks its sender (after the duplicate check): ask beside the bulk read.
  const loadForComplete = () => {
    forge.getPermission(event.sender.login).catch(() => undefined);
    return load();
  };
  const outcome = await onCommentCreated(forge, loadForComplete, event);
  const what = outcome.kind === "ignored" ? `ignored (${outcome.reason})` : outcome.kind;
  context.log[outcome.kind === "ignored" ? "debug" : "info"](
    `comment ${event.comment.id} on #${event.issue.number}: ${what}`,
  );
  if (outcome.kind !== "ignored") return;
  // Not a /complete: perhaps /rollback, /retry, /stop, /status (or an unknown /word, answered with help).
  const command = await onAgentCommand(forge, load, {
    issue: { number: event.issue.number, isPullRequest: Boolean(event.issue.isPullRequest) },
    comment: event.comment,
    sender: event.sender,
    delivery: context.id,
    defaultBranch: context.payload.repository.default_branch,
  });
  const said = command.kind === "ignored" ? `ignored (${command.reason})` : command.kind;
  context.log[command.kind === "ignored" ? "debug" : "info"](
    `command ${event.comment.id} on #${event.issue.number}: ${said}`,
  );
}
