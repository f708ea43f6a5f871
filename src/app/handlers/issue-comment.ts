import type { Context } from "probot";
import type { CompleteEvent } from "../../flows/llm-tasks/complete.js";
import { onCommentCreated } from "../../flows/llm-tasks/events.js";
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

/** `issue_comment.created` → `/complete` on an LLM-task issue (src/flows/llm-tasks/events.ts). */
export async function onIssueComment(context: Context<"issue_comment.created">): Promise<void> {
  const event = eventOf(context.payload);
  const outcome = await onCommentCreated(forgeOf(context), () => loadConfig(context), event);
  const what = outcome.kind === "ignored" ? `ignored (${outcome.reason})` : outcome.kind;
  context.log[outcome.kind === "ignored" ? "debug" : "info"](
    `comment ${event.comment.id} on #${event.issue.number}: ${what}`,
  );
}
