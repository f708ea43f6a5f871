/**
 * Forge events → flows, the same for every face: the Probot app adapts a webhook to these, the local
 * forge's CLI calls them right after a comment is made (the local forge has no webhooks). What a
 * handler does is decided here once.
 */
import type { HandoffConfig } from "../../config/schema.js";
import { CONFIG_PATH } from "../../config/schema.js";
import type { Forge } from "../../forge/types.js";
import {
  type CompleteEvent,
  type CompleteOutcome,
  completeFromComment,
  ignoreReason,
  replyMarker,
} from "./complete.js";

/** A config that failed to load or validate: what is wrong, with every problem's JSON path. */
export interface ConfigProblem {
  message: string;
  problems: string[];
}

export function isConfigProblem(value: HandoffConfig | ConfigProblem): value is ConfigProblem {
  return "problems" in value && "message" in value;
}

/** The reply to an invalid config: what is wrong, where, and that nothing else happened. */
export function renderConfigProblem(problem: ConfigProblem, marker: string): string {
  const list = problem.problems.map((p) => `- \`${p}\``).join("\n");
  return (
    `${marker}\nHandoff did nothing: ${problem.message}.` +
    (list ? `\n\n${list}` : "") +
    `\n\nFix ${CONFIG_PATH} (\`handoff schema config\` prints its JSON Schema; docs/github-app.md lists every key).`
  );
}

export type CommentOutcome = CompleteOutcome | { kind: "invalid-config"; problem: ConfigProblem };

/**
 * A new comment. Not a `/complete` (most comments): nothing is loaded and no call made. Otherwise the
 * config is loaded; an invalid one is answered on the issue (once per comment) and nothing else happens.
 */
export async function onCommentCreated(
  forge: Forge,
  loadConfig: () => Promise<HandoffConfig | ConfigProblem>,
  event: CompleteEvent,
): Promise<CommentOutcome> {
  const ignored = ignoreReason(event);
  if (ignored) return { kind: "ignored", reason: ignored };
  const config = await loadConfig();
  if (isConfigProblem(config)) {
    const marker = replyMarker(event.comment.id);
    await forge.upsertComment(event.issue.number, marker, renderConfigProblem(config, marker));
    return { kind: "invalid-config", problem: config };
  }
  return completeFromComment(forge, config, event);
}
