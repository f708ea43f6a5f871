import type { Command } from "commander";
import { Option } from "commander";
import { join, resolve } from "node:path";
import { ExitCode, UsageError } from "../../errors.js";
import * as output from "../output.js";

/**
 * `handoff run | cleanrun | test`: the run modes. Core modules load inside the actions so `--help`
 * stays fast; the run itself lives in src/runs.
 */

interface RunFlags {
  issue?: string;
  jobFile?: string;
  agent: string;
  repo?: string;
  base?: string;
  summaryFile?: string;
  maxIterations?: string;
  maxTurns?: string;
  timeout?: string;
  maxCost?: string;
  merge?: boolean;
  push?: boolean;
  pushRemote?: string;
  createPr?: boolean;
  prTarget?: string;
  maxJobs?: string;
  jobName?: string;
  jobInput?: string;
  jobResult?: string;
  playbook?: string;
  policy?: string;
  json?: boolean;
}

const PARAMETERS_HELP = `
Agent parameters (agent.json "parameters") are flags too, e.g. --script 'npm run gen' for the shell agent;
\`handoff agent show NAME\` lists them.`;

function addRunOptions(command: Command): Command {
  return command
    .option("--issue <n>", "issue number (read from the local forge: .handoff/issues/<n>.json)")
    .option("--job-file <file>", "job file (JSON: issue, title, body, comments) instead of --issue")
    .requiredOption("--agent <name>", "agent to run (agents/<name>, .handoff/agents/<name> or shipped)")
    .option("--repo <dir>", "repository to work in (default: the current directory)")
    .option("--base <branch>", "base branch of a new issue branch (default: the remote's default branch)")
    .option("--summary-file <path>", "write the run summary JSON here and its one-line TXT beside it")
    .option("--max-iterations <n>", "iteration budget (default: the agent's maxIterations, else 10)")
    .option("--max-turns <n>", "model-turn budget over the whole run")
    .option("--timeout <seconds>", "wall-time budget of the run")
    .option("--max-cost <usd>", "spend budget of the run in USD, as the agent CLI reports it")
    .option("--no-merge", "finalize: do not merge the branch into the base (autoMerge off)")
    .option("--push", "finalize: push after finishing")
    .option("--push-remote <name>", "finalize: remote to push to")
    .option("--create-pr", "finalize: request a pull request instead of merging")
    .option("--pr-target <branch>", "finalize: target branch of the pull request")
    .option("--max-jobs <n>", "job loop: run job 1..N, one per invocation")
    .option("--job-name <name>", "job loop: name of the loop (default: the agent name)")
    .option("--job-input <file>", "job loop: job_input.json (default .handoff/job_input.json)")
    .option("--job-result <file>", "job loop: job_result.json (default .handoff/job_result.json)")
    .option(
      "--playbook <file>",
      "playbook run after each iteration (default .handoff/playbook.yml in the worktree)",
    )
    .option("--policy <file>", "execution policy (default .handoff/policy.{yml,json} of the repository)")
    .option("--json", "print the outcome as JSON on stdout (no progress)")
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText("after", PARAMETERS_HELP);
}

/** A flag's value as a positive number (a whole one with `integer`), or a UsageError naming the flag. */
function positive(value: string | undefined, flag: string, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (integer ? !Number.isInteger(n) || n < 1 : !Number.isFinite(n) || n <= 0)
    throw new UsageError(
      `${flag} must be a positive ${integer ? "integer" : "number"}, not ${JSON.stringify(value)}`,
    );
  return n;
}

async function execute(mode: "run" | "cleanrun", flags: RunFlags, extra: string[]): Promise<void> {
  const { findAgent } = await import("../../agents/index.js");
  const { parseParameters } = await import("./run-parameters.js");
  const { loadJob } = await import("../../runs/job.js");
  const { runMode, cleanrunMode } = await import("../../runs/modes.js");
  const { runMetrics } = await import("../../runs/outcome.js");
  const { Git } = await import("../../git/git.js");

  if (!flags.issue && !flags.jobFile) throw new UsageError("give --issue N or --job-file FILE");
  if (flags.issue && flags.jobFile) throw new UsageError("give either --issue or --job-file, not both");
  const repo = resolve(flags.repo ?? process.cwd());
  const repoTop = await new Git(repo).mainWorktree();
  const agent = await findAgent(
    flags.agent,
    (await import("../../agents/index.js")).defaultAgentRoots(repoTop),
  );
  const parameters = parseParameters(agent, extra);
  const job = await loadJob({
    repoTop,
    ...(flags.issue ? { issue: toIssue(flags.issue) } : {}),
    ...(flags.jobFile ? { jobFile: resolve(flags.jobFile) } : {}),
  });
  if (flags.issue && String(job.issue) !== flags.issue)
    throw new UsageError(`job issue ${job.issue} does not match --issue ${flags.issue}`);
  const maxJobs = positive(flags.maxJobs, "--max-jobs", true);
  const wall = positive(flags.timeout, "--timeout");
  const maxIterations =
    positive(flags.maxIterations, "--max-iterations", true) ??
    (typeof parameters.maxIterations === "number" ? parameters.maxIterations : undefined);

  // The first signal stops the run gracefully; the wrap-up (WIP commit, checkpoint, summary) then
  // finishes whatever arrives, since a second Ctrl-C or a supervisor's repeated SIGTERM is common and
  // would otherwise kill Handoff with the work staged but not committed. A third signal forces it.
  const controller = new AbortController();
  let signals = 0;
  const stop = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) controller.abort();
    else if (signals === 2)
      process.stderr.write(
        `handoff: ${signal} again: still wrapping up (WIP commit, checkpoint, summary); send it once more to quit at once\n`,
      );
    else {
      process.stderr.write(`handoff: ${signal} a third time: quitting now; the wrap-up did not finish\n`);
      process.exit(ExitCode.interrupted);
    }
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  const quiet = flags.json === true || !process.stderr.isTTY || Boolean(process.env.CI);
  const started = Date.now();
  let status = "";
  const seconds = (): string => `${Math.round((Date.now() - started) / 1000)}s`;
  try {
    const outcome = await (mode === "cleanrun" ? cleanrunMode : runMode)({
      repo,
      agent,
      job,
      ...(flags.base ? { base: flags.base } : {}),
      budgets: {
        ...(maxIterations !== undefined ? { maxIterations } : {}),
        ...(flags.maxTurns ? { maxTurns: positive(flags.maxTurns, "--max-turns", true) } : {}),
        ...(wall !== undefined ? { wallTimeMs: wall * 1000 } : {}),
        ...(flags.maxCost ? { maxCostUsd: positive(flags.maxCost, "--max-cost") } : {}),
      },
      finalize: {
        ...(flags.merge === false ? { autoMerge: false } : {}),
        ...(flags.push ? { push: true } : {}),
        ...(flags.pushRemote ? { remote: flags.pushRemote } : {}),
        ...(flags.createPr ? { createPr: true } : {}),
        ...(flags.prTarget ? { prTarget: flags.prTarget } : {}),
      },
      ...(flags.playbook ? { playbook: resolve(flags.playbook) } : {}),
      ...(flags.policy ? { policy: resolve(flags.policy) } : {}),
      parameters,
      ...(flags.summaryFile ? { summaryFile: resolve(flags.summaryFile) } : {}),
      ...(maxJobs !== undefined
        ? {
            jobLoop: {
              maxJobs,
              jobName: flags.jobName ?? agent.name,
              inputPath: resolve(flags.jobInput ?? join(repoTop, ".handoff", "job_input.json")),
              resultPath: resolve(flags.jobResult ?? join(repoTop, ".handoff", "job_result.json")),
            },
          }
        : {}),
      mode,
      signal: controller.signal,
      handoffCli: process.argv[1],
      ...(quiet
        ? {}
        : {
            onProgress: (event) => {
              if (event.kind === "iteration") status = `iteration ${event.iteration}/${event.maxIterations}`;
              if (event.kind === "iteration") output.progress(`handoff: ${status} · ${seconds()}`);
              if (event.kind === "step")
                output.progress(
                  `handoff: ${status} · step ${event.name} ${event.status ?? ""} · ${seconds()}`,
                );
            },
          }),
    });
    if (flags.json) {
      output.printJson({
        run_id: outcome.runId,
        end_reason: outcome.endReason,
        message: outcome.message,
        exit_code: outcome.exitCode,
        branch: outcome.branch,
        worktree: outcome.worktree,
        iterations: outcome.iterations,
        checkpoint: outcome.lastCheckpoint,
        commits: outcome.commits,
        denied: outcome.denied,
        merged: outcome.merged,
        pushed: outcome.pushed,
        pr_request: outcome.prRequestFile,
        summary_file: outcome.summaryFile,
        ...(outcome.backupRefs ? { backup_refs: outcome.backupRefs } : {}),
        ledger: outcome.ledgerFile,
        timings: outcome.timings,
        metrics: runMetrics(outcome.agentReports),
        agent: outcome.agentReports.map((r) => ({
          exit_code: r.exitCode,
          turns: r.turns,
          tool_calls: r.toolCalls.length,
          permission_denials: r.permissionDenials,
          input_tokens: r.inputTokens,
          output_tokens: r.outputTokens,
          cost_usd: r.costUsd,
          metrics: r.metrics,
        })),
        summary: outcome.summary,
      });
    } else {
      output.printLine(
        `${outcome.endReason}${outcome.message ? `: ${outcome.message.split("\n")[0]}` : ""}` +
          (outcome.branch
            ? ` (branch ${outcome.branch}${outcome.lastCheckpoint ? `, checkpoint ${outcome.lastCheckpoint}` : ""})`
            : ""),
      );
      for (const ref of outcome.backupRefs ?? []) output.printLine(`backup: ${ref}`);
      if (outcome.summaryFile) output.printLine(`summary: ${outcome.summaryFile}`);
      if (outcome.ledgerFile) output.printLine(`evidence: ${outcome.ledgerFile}`);
      if (outcome.prRequestFile) output.printLine(`pull request requested: ${outcome.prRequestFile}`);
    }
    process.exitCode = outcome.exitCode;
  } finally {
    process.removeListener("SIGTERM", stop);
    process.removeListener("SIGINT", stop);
  }
}

function toIssue(value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function registerRun(program: Command): void {
  addRunOptions(
    program
      .command("run")
      .description(
        "Run an agent on one job (issue) in its own worktree and branch, until done or a budget ends",
      ),
  ).action(async function (this: Command, flags: RunFlags) {
    await execute("run", flags, this.args);
  });

  addRunOptions(
    program
      .command("cleanrun")
      .description("Remove the job's worktree, branch (backed up) and job-loop state, then run"),
  ).action(async function (this: Command, flags: RunFlags) {
    await execute("cleanrun", flags, this.args);
  });

  program
    .command("test")
    .description("Verify the last run summary, print the job-loop warnings; exit with its end reason's code")
    .option("--summary-file <path>", "summary to verify (default: the newest run's)")
    .option("--repo <dir>", "repository (default: the current directory)")
    .addOption(new Option("--json", "print the verification as JSON"))
    .action(async (flags: { summaryFile?: string; repo?: string; json?: boolean }) => {
      const { testMode } = await import("../../runs/modes.js");
      const report = await testMode({
        repo: resolve(flags.repo ?? process.cwd()),
        ...(flags.summaryFile ? { summaryFile: resolve(flags.summaryFile) } : {}),
      });
      if (flags.json) {
        output.printJson({
          summary_file: report.summaryFile,
          end_reason: report.summary.end_reason,
          warnings: report.warnings,
          exit_code: report.exitCode,
        });
      } else {
        output.printLine(`${report.summary.end_reason} (${report.summaryFile})`);
        for (const warning of report.warnings) output.printLine(warning);
      }
      process.exitCode = report.exitCode;
    });
}
