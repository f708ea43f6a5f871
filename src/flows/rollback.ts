/**
 * The rollback workflow's work, for every face that runs it (the Action's `mode: rollback`, the local
 * forge's dispatcher): return the issue's branch (or a named one) to a checkpoint with the runner's
 * rollback (backup ref, lease-protected push), push the backup ref, run the test playbook on the
 * result, and report the before and after commits, the checkpoint and the tests on the issue and its PR.
 */
import { issueOfBranch, listCheckpoints } from "../checkpoints/checkpoints.js";
import { type RollbackResult, type RollbackStrategy, rollback } from "../checkpoints/rollback.js";
import { type RollbackTests, testAfterRollback } from "../checkpoints/verify.js";
import { NotFoundError } from "../errors.js";
import { marker } from "../forge/markers.js";
import type { Forge, ForgePullRequest } from "../forge/types.js";
import type { Git } from "../git/git.js";
import { withGitRetry } from "../git/retry.js";
import { refuseSecretsInPush, type SecretFinder } from "../git/secret-scan.js";
import { Redactor } from "../redaction/index.js";
import { HandoffState } from "../state/handoff-state.js";
import { resolveBranch } from "./issue-branch.js";

/** The rollback workflow's inputs (`handoff-rollback.yml`), already validated by the face. */
export interface RollbackRequest {
  issue?: number;
  branch?: string;
  /** Checkpoint tag to return to; default the branch's last checkpoint. */
  checkpoint?: string;
  strategy: RollbackStrategy;
  /** Remote the branch and the backup ref are pushed to, when it exists. Default `origin`. */
  remote?: string;
  /** Link to the workflow run, shown in the report. */
  runUrl?: string;
  /** Masks secrets in the report. */
  redact?: (text: string) => string;
  /** Scans the pushes (the branch's and the backup ref's) for secrets; default: token shapes only. */
  secrets?: SecretFinder;
}

export interface RollbackReport {
  branch: string;
  /** The checkpoint rolled back to. */
  to: string;
  result: RollbackResult;
  tests: RollbackTests;
  /** The report (Markdown) to post on the issue and the PR. */
  body: string;
  /** The issue the branch belongs to, when it names one. */
  issue?: number;
}

function testLine(tests: RollbackTests): string {
  if (tests.skipped) return `⏭️ tests skipped: ${tests.reason ?? "no playbook"}`;
  const steps = tests.steps.map((s) => `${s.name} ${s.status}`).join(", ");
  return `${tests.ok ? "✅ tests passed" : "❌ tests failed"}${steps ? ` (${steps})` : ""}`;
}

/** The report of a rollback, as the issue, the PR and the job summary show it. */
export function renderRollback(
  report: Pick<RollbackReport, "branch" | "to" | "result" | "tests">,
  runUrl?: string,
): string {
  const { branch, to, result, tests } = report;
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
  if (runUrl) lines.push("", `Workflow run: ${runUrl}`);
  return lines.join("\n");
}

/**
 * Rolls back and tests (no forge call): the report to post. The caller decides what failed tests mean
 * (`tests.ok`); `postRollback` puts the report on the forge.
 */
export async function rollbackBranch(git: Git, request: RollbackRequest): Promise<RollbackReport> {
  const remote = request.remote ?? "origin";
  const branch = await resolveBranch(
    git,
    {
      ...(request.branch ? { branch: request.branch } : {}),
      ...(request.issue ? { issue: request.issue } : {}),
    },
    remote,
  );
  const state = await HandoffState.open(git);
  // A fresh runner has no recorded last checkpoint: the newest checkpoint tag on the branch is it.
  const to =
    request.checkpoint ??
    (await state.lastCheckpoint(branch))?.tag ??
    (await listCheckpoints(git, { branch })).at(-1)?.tag;
  if (!to) throw new NotFoundError(`branch ${branch} has no checkpoint to roll back to`);
  const secrets = request.secrets ?? new Redactor();
  const result = await rollback(git, { to, branch, strategy: request.strategy, remote, secrets });
  // The backup ref goes to the remote too: the next runner (or a person) can restore the old tip from it.
  const backup = result.backupRef;
  if (backup && (await git.tryRemoteUrl(remote)) !== null) {
    await refuseSecretsInPush(git, backup, remote, secrets);
    await withGitRetry(() => git.push(remote, [`${backup}:${backup}`]));
  }
  const tests = await testAfterRollback(git, result);
  const redact = request.redact ?? ((text: string) => text);
  const issueText = request.issue ? String(request.issue) : issueOfBranch(branch);
  return {
    branch,
    to,
    result,
    tests,
    body: redact(renderRollback({ branch, to, result, tests }, request.runUrl)),
    ...(issueText ? { issue: Number(issueText) } : {}),
  };
}

/**
 * Posts the report on the issue and on the branch's open PR, as one sticky comment per branch that a
 * later rollback updates in place; returns the PR.
 */
export async function postRollback(
  forge: Forge,
  report: Pick<RollbackReport, "branch" | "body" | "issue">,
): Promise<ForgePullRequest | null> {
  const sticky = marker("rollback", { branch: report.branch });
  const comment = `${sticky}\n${report.body}`;
  if (report.issue !== undefined) await forge.upsertComment(report.issue, sticky, comment);
  const pr = await forge.findPullRequest({ head: report.branch });
  if (pr) await forge.upsertComment(pr.number, sticky, comment);
  return pr;
}
