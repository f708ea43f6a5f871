/** `mode: test`: verifies the last run summary and prints the job-loop warnings. */
import * as core from "@actions/core";
import { resolve } from "node:path";
import { testMode } from "../../runs/modes.js";
import { setOutputs } from "../outputs.js";
import type { Session } from "../session.js";

export default async function test(session: Session): Promise<void> {
  const file = session.inputs["summary-file"];
  const report = await testMode({
    repo: session.repoDir,
    ...(file ? { summaryFile: resolve(session.repoDir, file) } : {}),
  });
  for (const warning of report.warnings) core.warning(warning);
  setOutputs({ "end-reason": report.summary.end_reason, "summary-file": report.summaryFile });
  if (report.exitCode !== 0) core.setFailed(`the last run ended ${report.summary.end_reason}`);
}
