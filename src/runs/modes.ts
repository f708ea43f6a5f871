/**
 * The run modes on top of the loop: `run` (with the job loop when `--max-jobs` is given),
 * `cleanrun` (remove the job's worktree and state, then run) and `test` (verify the last summary, print
 * the job-loop warnings, optionally run the playbook).
 */
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { END_REASON_EXIT_CODE, RunSummary, writeSummary } from "../evidence/index.js";
import { NotFoundError } from "../errors.js";
import { loadPlaybook } from "../playbooks/index.js";
import { loadPolicy } from "../policy/index.js";
import { Git } from "../git/git.js";
import { resetIssue } from "../worktrees/index.js";
import { completeJobLoop, jobDone, jobLoopBlock, startJobLoop } from "./job-loop.js";
import { runJob } from "./loop.js";
import { withIssueLock } from "./issue-lock.js";
import { endRun } from "./outcome.js";
import { publishRun } from "./publish.js";
import { sumUsage } from "./report.js";
import { evidenceFolder, findPolicyFile, newRunId } from "./setup.js";
import { HandoffState } from "../state/handoff-state.js";
import type { RunOptions, RunOutcome } from "./types.js";
import { fileError } from "../util/fs.js";
import { parseJsonText, parseWith } from "../util/validate.js";

/**
 * `handoff run`: one job (or one step of the job loop), summary files written. Holds the issue's run
 * lock throughout: a second run on the same issue refuses at once (exit 3).
 */
export async function runMode(options: RunOptions): Promise<RunOutcome> {
  const git = new Git(options.repo);
  const state = await HandoffState.open(git);
  return withIssueLock(state, String(options.job.issue), () => runLocked(options, git, state));
}

async function runLocked(options: RunOptions, git: Git, state: HandoffState): Promise<RunOutcome> {
  const loop = options.jobLoop;
  const start = loop ? await startJobLoop(state, loop) : undefined;
  let outcome: RunOutcome;
  if (start?.complete && loop) {
    const result = await completeJobLoop(state, start, loop);
    const runId = newRunId();
    const { dir } = await evidenceFolder(git, runId);
    // Nothing ran: the outcome, summary and run record say only that the loop is complete.
    outcome = await endRun(state, {
      runId,
      agent: options.agent.name,
      job: options.job,
      started: Date.now(),
      ending: { reason: "job_loop_complete", message: result.end_reason },
      evidenceDir: dir,
      iterations: 0,
      marks: { denied: [], fatal: [], stopped: [] },
      stopOnDeny: true,
      commits: [],
      reports: [],
      denied: [],
      redact: (t) => t,
    });
  } else {
    const payloadOptions = start?.payload !== undefined ? { jobPayload: start.payload } : {};
    outcome = await runJob({ ...options, ...payloadOptions });
    if (start && loop && outcome.endReason === "done") await jobDone(state, start, loop);
  }
  const completed = outcome.endReason === "job_loop_complete";
  outcome.summary = {
    ...outcome.summary,
    job_loop: jobLoopBlock(start, loop, completed),
    job_payload_present: (start?.payloadSize ?? 0) > 0,
    job_payload_size: start?.payloadSize ?? 0,
    job_result_exists: loop ? existsSync(loop.resultPath) : false,
    job_result_written: completed,
    ...(loop && existsSync(loop.resultPath) ? { job_result_path: loop.resultPath } : {}),
  };
  outcome.summary = { ...outcome.summary, ...sumUsage(outcome.agentReports) };
  if (outcome.evidenceDir) await writeSummary(join(outcome.evidenceDir, "summary.json"), outcome.summary);
  if (options.summaryFile) {
    await writeSummary(options.summaryFile, outcome.summary);
    outcome.summaryFile = options.summaryFile;
  }
  if (options.publish && outcome.endReason !== "job_loop_complete") {
    try {
      await publishRun(outcome, { ...options.publish, git, state });
    } catch (error) {
      // The run's work is on its branch and in its evidence; only the forge side is missing.
      outcome.publishError = error instanceof Error ? error.message : String(error);
      if (outcome.exitCode === 0) outcome.exitCode = 1;
    }
  }
  return outcome;
}

/**
 * `handoff cleanrun`: removes the issue's worktree (its branch tip is kept as a backup ref, then the local
 * branch is deleted so the run starts fresh from the base), the job loop's index and job_result.json;
 * then runs. Nothing is lost: every option is checked before anything is removed, and uncommitted work
 * in the worktree (untracked files included) is kept as a WIP commit on the backup ref.
 */
export async function cleanrunMode(options: RunOptions): Promise<RunOutcome> {
  const git = new Git(options.repo);
  const state = await HandoffState.open(git);
  return withIssueLock(state, String(options.job.issue), async () => {
    await preflight(options, git, state);
    const { backupRefs } = await resetIssue({
      repo: options.repo,
      issue: options.job.issue,
      root: options.agent.agent.worktree.root,
    });
    if (options.jobLoop) {
      const start = await startJobLoop(state, options.jobLoop);
      await state.clearJobIndex(start.jobName);
      await rm(options.jobLoop.resultPath, { force: true });
    }
    const outcome = await runLocked({ ...options, mode: "cleanrun" }, git, state);
    return { ...outcome, backupRefs };
  });
}

/**
 * What would make the run fail on its options, checked before cleanrun removes anything: the policy and
 * playbook files, the base branch, the job loop's input.
 */
async function preflight(options: RunOptions, git: Git, state: HandoffState): Promise<void> {
  const repoTop = (await git.worktreeList())[0]?.path ?? (await git.topLevel());
  await loadPolicy(findPolicyFile(repoTop, options.policy));
  if (options.playbook) await loadPlaybook(options.playbook);
  if (options.jobLoop) await startJobLoop(state, options.jobLoop);
  if (options.base) {
    const remote = options.finalize?.remote ?? options.agent.agent.finalize.remote ?? "origin";
    const hasRemote = (await git.tryRemoteUrl(remote)) !== null;
    const local = [`refs/heads/${options.base}`, options.base];
    if (hasRemote) local.push(`refs/remotes/${remote}/${options.base}`);
    let known = false;
    for (const rev of local) known ||= (await git.tryRevParse(rev)) !== null;
    if (!known && hasRemote) known = (await git.lsRemote(remote, [`refs/heads/${options.base}`])).size > 0;
    if (!known)
      throw new NotFoundError(
        `--base ${options.base}: no such branch ${hasRemote ? `on ${remote} or ` : ""}in the repository (nothing was removed)`,
      );
  }
}

/** What `handoff test` found. */
export interface TestReport {
  summaryFile: string;
  summary: RunSummary;
  warnings: string[];
  exitCode: number;
}

/** The summary file of the newest run, from Handoff's run records. */
export async function lastSummaryFile(repo: string): Promise<string> {
  const state = await HandoffState.open(new Git(repo));
  const records = await state.listRunRecords();
  for (const record of records.reverse()) {
    const dir = (record as { evidence_dir?: unknown }).evidence_dir;
    if (typeof dir === "string" && existsSync(join(dir, "summary.json"))) return join(dir, "summary.json");
  }
  throw new NotFoundError("no run summary found: run `handoff run` first or pass --summary-file");
}

/** `handoff test`: the last summary is valid and its end reason is a success; the job-loop warnings. */
export async function testMode(options: { repo: string; summaryFile?: string }): Promise<TestReport> {
  const file = options.summaryFile ?? (await lastSummaryFile(options.repo));
  if (!existsSync(file)) throw new NotFoundError(`summary file ${file} not found`);
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    throw fileError(error, file, "read");
  });
  const summary = parseWith(RunSummary, parseJsonText(text, file), file);
  const warnings: string[] = [];
  const loop = summary.job_loop;
  if (loop.enabled && !loop.completed) warnings.push("WARNING: job_loop enabled but not completed");
  if (loop.enabled && !summary.job_payload_present) warnings.push("WARNING: job_payload_present=false");
  if (loop.enabled && loop.current_job_index > loop.max_jobs && !loop.completed) {
    warnings.push(`WARNING: job_index (${loop.current_job_index}) > max_jobs (${loop.max_jobs})`);
  }
  if (loop.enabled && loop.completed && !summary.job_result_written)
    warnings.push("WARNING: job_result_written=false");
  return { summaryFile: file, summary, warnings, exitCode: END_REASON_EXIT_CODE[summary.end_reason] };
}
