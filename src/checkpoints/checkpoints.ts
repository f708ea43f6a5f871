import { ConflictError, NotFoundError, UsageError } from "../errors.js";
import { type Git, GitCommandError, type Identity } from "../git/git.js";
import { resolveIdentity } from "../git/identity.js";
import { HandoffState } from "../state/handoff-state.js";
import { issueKey } from "../worktrees/naming.js";
import { type CheckpointMetadata, formatCheckpointMessage, parseCheckpointMessage } from "./message.js";

/** Every checkpoint tag lives under this prefix. */
export const CHECKPOINT_TAG_PREFIX = "handoff/checkpoint";
/** The series of hand-made checkpoints when no issue applies. */
export const MANUAL_SERIES = "manual";

/** A checkpoint: an annotated tag on a commit, and what its message says. */
export interface Checkpoint {
  /** Tag name, e.g. `handoff/checkpoint/4/3` or `handoff/checkpoint/manual/before-upgrade`. */
  tag: string;
  /** The commit it tags. */
  sha: string;
  /** ISO 8601 time the tag was created. */
  date: string;
  /** Parsed trailers; null for a tag without Handoff's trailer block. */
  metadata: CheckpointMetadata | null;
  /** The whole tag message. */
  message: string;
}

/** What `createCheckpoint` tags and records. */
export interface CreateCheckpointOptions {
  /** Issue number or job id. Default: read from a `handoff/issue-N…` branch, else the `manual` series. */
  issue?: number | string;
  /** A name instead of a number: the tag becomes `handoff/checkpoint/manual/<name>`. */
  name?: string;
  /** Commit to tag. Default `HEAD`. */
  target?: string;
  /** Branch to record the checkpoint for. Default: the checked-out branch (none when detached). */
  branch?: string;
  /** Tagged by a run (`auto`) or by hand (`manual`). Default `manual` with a name or no run id, else `auto`. */
  kind?: "auto" | "manual";
  runId?: string;
  agent?: string;
  iteration?: number;
  endReason?: string;
  /** Free text placed between the subject and the trailers. */
  note?: string;
  /** Who the tag is attributed to. Default: repo identity, else Handoff. */
  tagger?: Identity;
}

/** The issue a `handoff/issue-N-…` branch belongs to, for numbered issues. */
export function issueOfBranch(branch: string | null | undefined, prefix = "handoff/issue-"): string | null {
  if (!branch?.startsWith(prefix)) return null;
  return /^(\d+)(?:-|$)/.exec(branch.slice(prefix.length))?.[1] ?? null;
}

/**
 * Tags `target` as the next checkpoint of its issue (`handoff/checkpoint/<issue>/<n>`), or under a
 * name, with the run's details in the tag message, and records it as the branch's last checkpoint.
 * Numbers never repeat: the next one is above both the recorded counter and every existing tag.
 */
export async function createCheckpoint(git: Git, options: CreateCheckpointOptions = {}): Promise<Checkpoint> {
  const sha = await resolveTarget(git, options.target ?? "HEAD");
  const branch = options.branch ?? (await git.tryCurrentBranch());
  const issue =
    options.issue !== undefined
      ? issueKey(options.issue)
      : (issueOfBranch(branch) ?? (options.name ? undefined : MANUAL_SERIES));
  const kind = options.kind ?? (options.name || !options.runId ? "manual" : "auto");
  const tagger = await resolveIdentity(git, options.tagger);
  const state = await HandoffState.open(git);
  const base: CheckpointMetadata = {
    kind,
    issue,
    branch: branch ?? undefined,
    run_id: options.runId,
    agent: options.agent,
    iteration: options.iteration,
    end_reason: options.endReason,
    created_at: new Date().toISOString(),
  };

  let tag: string;
  let metadata: CheckpointMetadata;
  if (options.name !== undefined) {
    tag = `${CHECKPOINT_TAG_PREFIX}/${MANUAL_SERIES}/${options.name}`;
    if (!options.name || !(await git.refs.checkRefFormat(`refs/tags/${tag}`))) {
      throw new UsageError(
        `invalid checkpoint name ${JSON.stringify(options.name)}: ${tag} is not a valid git ref name (git check-ref-format)`,
      );
    }
    metadata = { ...base, name: options.name };
    await createTag(git, tag, sha, formatCheckpointMessage(metadata, options.note), tagger);
  } else {
    const series = issue ?? MANUAL_SERIES;
    let number = Math.max(await state.nextCheckpointNumber(series), (await highestNumber(git, series)) + 1);
    for (;;) {
      tag = `${CHECKPOINT_TAG_PREFIX}/${series}/${number}`;
      metadata = { ...base, number };
      try {
        await createTag(git, tag, sha, formatCheckpointMessage(metadata, options.note), tagger);
        break;
      } catch (error) {
        // Another run took this number between our look and our tag: take the next one.
        if (!(error instanceof ConflictError) || number > 10_000) throw error;
        number++;
      }
    }
    await state.setNextCheckpointNumber(series, number + 1);
  }
  if (branch) await state.setLastCheckpoint({ branch, tag, sha, created_at: new Date().toISOString() });
  const [created] = await git.refs.listTags(tag);
  return {
    tag,
    sha,
    date: created?.date ?? new Date().toISOString(),
    metadata,
    message: created?.message ?? "",
  };
}

function createdAt(checkpoint: Checkpoint): number {
  return Date.parse(checkpoint.metadata?.created_at ?? checkpoint.date);
}

async function resolveTarget(git: Git, target: string): Promise<string> {
  const sha = await git.tryRevParse(target);
  if (!sha) throw new NotFoundError(`cannot checkpoint ${target}: no such commit`);
  return sha;
}

async function createTag(
  git: Git,
  tag: string,
  sha: string,
  message: string,
  tagger: Identity,
): Promise<void> {
  try {
    await git.refs.tag(tag, sha, message, { tagger });
  } catch (error) {
    if (error instanceof GitCommandError && /already exists/.test(error.stderr)) {
      throw new ConflictError(`checkpoint ${tag} already exists; choose another name`, { cause: error });
    }
    throw error;
  }
}

async function highestNumber(git: Git, series: string): Promise<number> {
  const tags = await git.refs.listTags(`${CHECKPOINT_TAG_PREFIX}/${series}/*`);
  return tags.reduce((max, t) => {
    const n = Number(t.name.slice(t.name.lastIndexOf("/") + 1));
    return Number.isInteger(n) && n > max ? n : max;
  }, 0);
}

/**
 * Checkpoints, oldest first: of an issue (its series and any checkpoint whose trailers name it),
 * and/or reachable from a branch's tip.
 */
export async function listCheckpoints(
  git: Git,
  filter: { issue?: number | string; branch?: string } = {},
): Promise<Checkpoint[]> {
  let merged: string | undefined;
  if (filter.branch !== undefined) {
    merged = (await git.refs.tryShowRef(`refs/heads/${filter.branch}`)) ?? undefined;
    if (!merged) throw new NotFoundError(`branch ${filter.branch} not found`);
  }
  const key = filter.issue === undefined ? undefined : issueKey(filter.issue);
  const tags = await git.refs.listTags(CHECKPOINT_TAG_PREFIX, { merged });
  return (
    tags
      .map((t) => ({
        tag: t.name,
        sha: t.commit,
        date: t.date,
        message: t.message,
        metadata: parseCheckpointMessage(t.message),
      }))
      .filter(
        (c) =>
          key === undefined ||
          c.metadata?.issue === key ||
          c.tag.startsWith(`${CHECKPOINT_TAG_PREFIX}/${key}/`),
      )
      // Tag dates have one-second resolution, so Handoff's own millisecond trailer decides when present.
      .sort((a, b) => createdAt(a) - createdAt(b) || (a.metadata?.number ?? 0) - (b.metadata?.number ?? 0))
  );
}
