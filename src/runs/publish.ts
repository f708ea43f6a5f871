/**
 * After a run: open or update its pull request through the forge (when finalize asked for one) and
 * upsert the issue's evidence comment, by its marker, on the issue and on the pull request. A rerun of the
 * publish step (a retried workflow step) changes nothing; a forge failure is reported, and the run's
 * own work (branch, checkpoints, evidence files) is kept whatever happens here.
 */
import { evidenceMarker } from "../evidence/index.js";
import { type Forge, publishPullRequest } from "../forge/index.js";
import type { Git } from "../git/git.js";
import type { HandoffState } from "../state/handoff-state.js";
import { upsertEvidence } from "../flows/publish-run.js";
import { evidenceMarkdown } from "./report.js";
import type { RunOutcome } from "./types.js";

export interface PublishOptions {
  forge: Forge;
  git: Git;
  state: HandoffState;
  /** The issue to comment on (a job from a job file has none). */
  issue?: number;
  artifactUrl?: string;
}

/** Publishes the run on the forge and records where (`outcome.pullRequest`, `outcome.evidenceComments`). */
export async function publishRun(outcome: RunOutcome, options: PublishOptions): Promise<void> {
  const { forge } = options;
  const request = outcome.pullRequestRequest;
  if (request) {
    const { pullRequest, created } = await publishPullRequest(forge, {
      head: request.head,
      base: request.base,
      title: request.title,
      body: request.body,
    });
    outcome.pullRequest = { number: pullRequest.number, url: pullRequest.url, created };
  }
  const record = await options.state.runRecord(outcome.runId);
  if (!record) return;
  if (outcome.pullRequest) {
    await options.state.writeRunRecord({ ...record, pull_request: outcome.pullRequest });
  }
  const markdown = await evidenceMarkdown(options.git, record, {
    ...(outcome.pullRequest ? { prUrl: outcome.pullRequest.url } : {}),
    ...(options.artifactUrl ? { artifactUrl: options.artifactUrl } : {}),
  });
  outcome.evidenceComments = [];
  const pr = outcome.pullRequest?.number;
  if (options.issue !== undefined) {
    // One evidence comment per issue (and its PR), rewritten in place by every later run: the flow the
    // Action uses too.
    const { issueComment, prComment } = await upsertEvidence(forge, options.issue, markdown, pr);
    outcome.evidenceComments.push({
      target: options.issue,
      url: issueComment.url,
      created: issueComment.createdAt === issueComment.updatedAt,
    });
    if (pr !== undefined && prComment)
      outcome.evidenceComments.push({
        target: pr,
        url: prComment.url,
        created: prComment.createdAt === prComment.updatedAt,
      });
  } else if (pr !== undefined) {
    const { comment, created } = await forge.upsertComment(pr, evidenceMarker(outcome.runId), markdown);
    outcome.evidenceComments.push({ target: pr, url: comment.url, created });
  }
}
