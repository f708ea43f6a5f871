/**
 * When a rollback may follow a checkpoint tag. Tags are easy to move (`git tag -f`), and a rollback
 * resets a branch and force-pushes it, so a checkpoint is trusted only when the tag is what Handoff
 * made: an annotated tag whose trailers name this branch and its issue, still on the commit Handoff
 * recorded for it. Anything else is refused, naming the tag, before anything changes.
 */
import { ConflictError, NotFoundError } from "../errors.js";
import type { Git } from "../git/git.js";
import type { LastCheckpoint } from "../state/handoff-state.js";
import { CHECKPOINT_TAG_PREFIX, issueOfBranch } from "./checkpoints.js";
import { parseCheckpointMessage } from "./message.js";

/** True when `to` names a tag in Handoff's checkpoint namespace (short or full ref name). */
export function isCheckpointTagName(to: string): boolean {
  return to.replace(/^refs\/tags\//, "").startsWith(`${CHECKPOINT_TAG_PREFIX}/`);
}

/**
 * The commit of checkpoint `tag` for a rollback of `branch`, or a ConflictError saying why the tag is
 * not trusted. `recorded` is Handoff's record of the branch's last checkpoint when the rollback target
 * came from it: the tag must still point where it pointed then.
 */
export async function trustedCheckpoint(
  git: Git,
  tag: string,
  branch: string,
  recorded?: LastCheckpoint,
): Promise<string> {
  const name = tag.replace(/^refs\/tags\//, "");
  const info = (await git.refs.listTags(name)).find((t) => t.name === name);
  if (!info) throw new NotFoundError(`checkpoint tag ${name} not found`);
  const anyway = `; to roll back to that commit anyway, pass --to ${info.commit}`;
  const refuse = (why: string): ConflictError =>
    new ConflictError(`refusing checkpoint tag ${name}: ${why} (nothing was changed)${anyway}`);
  if (!info.annotated) throw refuse("it is a lightweight tag, not an annotated Handoff checkpoint");
  const meta = parseCheckpointMessage(info.message);
  if (!meta) throw refuse("its message has no Handoff checkpoint trailers");
  if (meta.branch !== branch)
    throw refuse(`its Handoff-Branch trailer names ${meta.branch ?? "no branch"}, not ${branch}`);
  const issue = issueOfBranch(branch);
  if (issue !== null && meta.issue !== issue)
    throw refuse(`its Handoff-Issue trailer names ${meta.issue ?? "no issue"}, not issue ${issue}`);
  if (recorded && recorded.tag === name && recorded.sha !== info.commit) {
    throw refuse(
      `it was moved: Handoff recorded it on ${recorded.sha.slice(0, 12)}, it now points at ${info.commit.slice(0, 12)}`,
    );
  }
  return info.commit;
}
