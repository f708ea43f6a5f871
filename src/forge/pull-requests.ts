/**
 * Opening the pull request of a branch, once: a rerun (or a redelivered event) updates the open pull
 * request of the same head instead of opening a second one.
 */
import type { Forge, ForgePullRequest } from "./types.js";

export interface PublishPullRequestInput {
  head: string;
  base: string;
  title: string;
  body: string;
  draft?: boolean;
}

/** Creates the pull request of `head`, or updates the open one's title and body; no write when equal. */
export async function publishPullRequest(
  forge: Forge,
  input: PublishPullRequestInput,
): Promise<{ pullRequest: ForgePullRequest; created: boolean }> {
  const open = await forge.findPullRequest({ head: input.head, base: input.base });
  if (!open) return { pullRequest: await forge.createPullRequest(input), created: true };
  if (open.title === input.title && open.body === input.body) return { pullRequest: open, created: false };
  const pullRequest = await forge.updatePullRequest(open.number, { title: input.title, body: input.body });
  return { pullRequest, created: false };
}
