/** `mode: checkpoint`: tags the branch's tip as a checkpoint and pushes the tag. */
import * as core from "@actions/core";
import { createCheckpoint } from "../../checkpoints/checkpoints.js";
import { pushTags } from "../../git/push.js";
import { resolveBranch } from "../../flows/issue-branch.js";
import { setOutputs } from "../outputs.js";
import type { Session } from "../session.js";

export default async function checkpoint(session: Session): Promise<void> {
  const { git, inputs, redactor } = session;
  const branch = await resolveBranch(git, {
    ...(inputs.branch ? { branch: inputs.branch } : {}),
    ...(inputs.issue ? { issue: inputs.issue } : {}),
  });
  const made = await createCheckpoint(git, {
    target: `refs/heads/${branch}`,
    branch,
    ...(inputs.issue ? { issue: inputs.issue } : {}),
    ...(inputs.checkpoint ? { name: inputs.checkpoint } : {}),
  });
  const series = made.tag.slice(0, made.tag.lastIndexOf("/"));
  if ((await git.tryRemoteUrl("origin")) !== null)
    await pushTags(git, { remote: "origin", prefix: series, secrets: redactor });
  core.info(`checkpoint ${made.sha} ${made.tag}`);
  setOutputs({ branch, checkpoint: made.tag });
}
