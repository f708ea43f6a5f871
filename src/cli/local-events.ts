/**
 * The local forge has no webhooks, so the CLI plays GitHub's part: right after `handoff issue comment`
 * makes a comment on the local forge, the comment goes through the same event flow the app runs on
 * `issue_comment.created` (src/flows/llm-tasks/events.ts). The reply is made as the forge's own user,
 * the way the app replies as itself.
 */
import { resolve } from "node:path";
import type { ForgeComment } from "../forge/types.js";
import { type ForgeFlags, openForge } from "./forge.js";
import { withProblems } from "./output.js";
import { onCommentCreated } from "../flows/llm-tasks/events.js";
import { loadHandoffConfig } from "../config/index.js";
import { ConfigError } from "../errors.js";

/** Runs the comment handlers for a comment just made on the local forge; returns a line to print. */
export async function afterLocalComment(
  flags: ForgeFlags,
  issue: number,
  comment: ForgeComment,
): Promise<string | null> {
  const forge = await openForge({ ...flags, as: undefined });
  const target = await forge.getIssue(issue);
  const root = resolve(flags.repo ?? process.cwd());
  const outcome = await onCommentCreated(
    forge,
    () =>
      loadHandoffConfig(root).catch((error: unknown) => {
        if (!(error instanceof ConfigError)) throw error;
        return { message: error.message, problems: [...error.problems] };
      }),
    {
      issue: {
        number: target.number,
        body: target.body,
        state: target.state,
        isPullRequest: target.isPullRequest,
      },
      comment: { id: comment.id, body: comment.body },
      sender: comment.author,
    },
  );
  switch (outcome.kind) {
    case "ignored":
      return null;
    case "completed":
      return `completed ${outcome.id}: ${outcome.path} on the queue branch; #${issue} closed (handoff queue pull brings it here)`;
    case "duplicate":
      return `this comment was already handled`;
    case "refused":
      process.exitCode = 1;
      return `refused: ${withProblems(outcome.reason, outcome.problems)} (see the reply on #${issue})`;
    case "invalid-config":
      process.exitCode = 1;
      return `refused: ${withProblems(outcome.problem.message, outcome.problem.problems)}`;
  }
}
