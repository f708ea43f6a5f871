import type { Context } from "probot";
import {
  type CompleteEvent,
  completeFromComment,
  ignoreReason,
  replyMarker,
} from "../../flows/llm-tasks/complete.js";
import { forgeOf, isConfigProblem, loadConfig, renderConfigProblem } from "../context.js";

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
 * `issue_comment.created` → `/complete` on an LLM-task issue. Comments that are not commands cost no
 * API call; an invalid config is answered on the issue (once per comment) and nothing else happens.
 */
export async function onIssueComment(context: Context<"issue_comment.created">): Promise<void> {
  const event = eventOf(context.payload);
  const ignored = ignoreReason(event);
  if (ignored) {
    context.log.debug(`comment ${event.comment.id} ignored: ${ignored}`);
    return;
  }
  const forge = forgeOf(context);
  const config = await loadConfig(context);
  if (isConfigProblem(config)) {
    const marker = replyMarker(event.comment.id);
    await forge.upsertComment(event.issue.number, marker, renderConfigProblem(config, marker));
    return;
  }
  const outcome = await completeFromComment(forge, config, event);
  context.log.info({ outcome: outcome.kind }, `/complete on #${event.issue.number}: ${outcome.kind}`);
}
