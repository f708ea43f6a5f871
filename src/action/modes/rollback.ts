/**
 * `mode: rollback`: returns the issue's branch (or a named one) to a checkpoint with the runner's
 * rollback (backup ref, lease-protected push), runs the test playbook on the result, and reports the
 * before and after commits, the checkpoint and the tests on the issue, its PR and the job summary.
 */
import * as core from "@actions/core";
import { issueOfBranch, listCheckpoints } from "../../checkpoints/checkpoints.js";
import { rollback } from "../../checkpoints/rollback.js";
import { type RollbackTests, testAfterRollback } from "../../checkpoints/verify.js";
import { NotFoundError } from "../../errors.js";
import { marker } from "../../forge/markers.js";
import { withGitRetry } from "../../git/retry.js";
import { HandoffState } from "../../state/handoff-state.js";
import { resolveBranch } from "../branch.js";
import { setOutputs, writeStepSummary } from "../outputs.js";
import type { Session } from "../session.js";

function testLine(tests: RollbackTests): string {
  if (tests.skipped) return `⏭️ tests skipped: ${tests.reason ?? "no playbook"}`;
  const steps = tests.steps.map((s) => `${s.name} ${s.status}`).join(", ");
  return `${tests.ok ? "✅ tests passed" : "❌ tests failed"}${steps ? ` (${steps})` : ""}`;
}

export default async function rollbackMode(session: Session): Promise<void> {
  const { git, inputs, redactor } = session;
  const branch = await resolveBranch(git, {
    ...(inputs.branch ? { branch: inputs.branch } : {}),
    ...(inputs.issue ? { issue: inputs.issue } : {}),
  });
  const state = await HandoffState.open(git);
  // A fresh runner has no recorded last checkpoint: the newest checkpoint tag on the branch is it.
  const to =
    inputs.checkpoint ??
    (await state.lastCheckpoint(branch))?.tag ??
    (await listCheckpoints(git, { branch })).at(-1)?.tag;
  if (!to) throw new NotFoundError(`branch ${branch} has no checkpoint to roll back to`);
  const result = await rollback(git, { to, branch, strategy: inputs.strategy, remote: "origin" });
  // The backup ref goes to the remote too: the next runner (or a person) can restore the old tip from it.
  if (result.backupRef && (await git.tryRemoteUrl("origin")) !== null)
    await withGitRetry(() => git.push("origin", [`${result.backupRef}:${result.backupRef}`]));
  const tests = await testAfterRollback(git, result);

  const lines = [
    `### Handoff rollback of \`${branch}\`: ${result.backupRef ? "done" : "nothing to undo"}`,
    "",
    `| | |`,
    `|---|---|`,
    `| Checkpoint | \`${to}\` |`,
    `| Before | \`${result.from}\` |`,
    `| After | \`${result.sha}\` |`,
    `| Strategy | ${result.strategy} |`,
    `| Commits undone | ${result.undone.length} |`,
    `| Backup | ${result.backupRef ? `\`${result.backupRef}\`` : "–"} |`,
    `| Pushed | ${result.push ? `${result.push.remote} (lease-protected)` : "no"} |`,
    "",
    testLine(tests),
  ];
  if (session.context.runUrl) lines.push("", `Workflow run: ${session.context.runUrl}`);
  const body = redactor.redact(lines.join("\n"));
  await writeStepSummary(body);

  const issueText = inputs.issue ? String(inputs.issue) : issueOfBranch(branch);
  const issue = issueText ? Number(issueText) : undefined;
  const forge = await session.forge();
  // One sticky comment per branch on the issue and on its PR: a later rollback updates it in place.
  const sticky = marker("rollback", { branch });
  const comment = `${sticky}\n${body}`;
  if (issue !== undefined) await forge.upsertComment(issue, sticky, comment);
  const pr = await forge.findPullRequest({ head: branch });
  if (pr) await forge.upsertComment(pr.number, sticky, comment);

  setOutputs({ branch, checkpoint: to, ...(pr ? { "pr-number": pr.number, "pr-url": pr.url } : {}) });
  if (!tests.ok) core.setFailed(`rolled back ${branch} to ${to}, but the tests failed`);
}
