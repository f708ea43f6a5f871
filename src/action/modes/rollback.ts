/**
 * `mode: rollback`: the rollback workflow's work (src/flows/rollback.ts — the runner's rollback with a
 * backup ref and a lease-protected push, the test playbook on the result, the report on the issue and
 * its PR), plus the job summary and the outputs.
 */
import * as core from "@actions/core";
import { postRollback, rollbackBranch } from "../../flows/rollback.js";
import { setOutputs, writeStepSummary } from "../outputs.js";
import type { Session } from "../session.js";

export default async function rollbackMode(session: Session): Promise<void> {
  const { git, inputs, redactor } = session;
  const report = await rollbackBranch(git, {
    ...(inputs.branch ? { branch: inputs.branch } : {}),
    ...(inputs.issue ? { issue: inputs.issue } : {}),
    ...(inputs.checkpoint ? { checkpoint: inputs.checkpoint } : {}),
    strategy: inputs.strategy,
    ...(session.context.runUrl ? { runUrl: session.context.runUrl } : {}),
    redact: (text) => redactor.redact(text),
    secrets: redactor,
  });
  await writeStepSummary(report.body);
  const pr = await postRollback(await session.forge(), report);
  const { branch, to } = report;
  setOutputs({ branch, checkpoint: to, ...(pr ? { "pr-number": pr.number, "pr-url": pr.url } : {}) });
  if (!report.tests.ok) core.setFailed(`rolled back ${branch} to ${to}, but the tests failed`);
}
