import type { Command } from "commander";
import * as output from "../output.js";
import { resolve } from "node:path";
import { NotFoundError, UsageError } from "../../errors.js";

/** `handoff evidence show [RUN]`: a run's evidence, as the summary or as the evidence comment. */
export function registerEvidence(program: Command): void {
  const evidence = program
    .command("evidence")
    .description("A run's evidence: summary, ledger, evidence comment");
  evidence
    .command("show")
    .description("Show a run's evidence (default: the newest run's)")
    .argument("[run]", "run id (see the run records under .git/handoff/runs/)")
    .option("--markdown", "print the evidence comment exactly as it is posted on the issue and the PR")
    .option("--json", "print the run report (the comment's input) as JSON")
    .option("--repo <dir>", "repository (default: the current directory)")
    .action(
      async (runId: string | undefined, flags: { markdown?: boolean; json?: boolean; repo?: string }) => {
        const { Git, HandoffState, buildRunReport, renderEvidenceComment, formatDuration } =
          await import("./evidence-actions.js");
        if (flags.markdown && flags.json) throw new UsageError("give --markdown or --json, not both");
        const git = new Git(resolve(flags.repo ?? process.cwd()));
        const state = await HandoffState.open(git);
        const record = runId ? await state.runRecord(runId) : (await state.listRunRecords()).at(-1);
        if (!record) {
          throw new NotFoundError(runId ? `run ${runId} not found` : "no runs yet: run `handoff run` first");
        }
        const report = await buildRunReport(git, record);
        if (flags.markdown) {
          process.stdout.write(renderEvidenceComment(report));
          return;
        }
        if (flags.json) {
          output.printJson(report);
          return;
        }
        output.printLine(
          `run ${report.run_id}: ${report.end_reason}${report.end_message ? ` (${report.end_message})` : ""}`,
        );
        output.printLine(
          `agent ${report.agent}${report.issue ? ` · issue #${report.issue}` : ""}${report.branch ? ` · branch ${report.branch}` : ""}`,
        );
        if (report.duration_ms !== undefined)
          output.printLine(`duration ${formatDuration(report.duration_ms)}`);
        for (const step of report.steps ?? []) output.printLine(`step ${step.status} ${step.name}`);
        for (const d of report.denied ?? []) output.printLine(`denied ${d.command} (${d.rule})`);
        if (report.usage) output.printLine(`usage ${JSON.stringify(report.usage)}`);
        if (report.pr_url) output.printLine(`pull request ${report.pr_url}`);
        if (report.ledger_path) output.printLine(`ledger ${report.ledger_path}`);
      },
    );
}
