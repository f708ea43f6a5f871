import type { Command } from "commander";
import { Option } from "commander";
import { resolve } from "node:path";
import { ExitCode, UsageError } from "../../errors.js";
import * as output from "../output.js";
import { type ForgeFlags, addForgeOptions, openForge } from "../forge.js";

/**
 * `handoff run | cleanrun | test`: the run modes. Core modules load inside the actions, from the
 * group's one lazy module run-actions.ts, so `--help` stays fast; the run itself lives in src/runs.
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
  secretEnv?: string[];
  json?: boolean;
}

const PARAMETERS_HELP = `
Agent parameters (agent.json "parameters") are flags too, e.g. --script 'npm run gen' for the shell agent;
\`handoff agent show NAME\` lists them.`;

function addRunOptions(command: Command): Command {
  return addForgeOptions(command)
    .option("--issue <n>", "issue number, read through the forge (title, body, comments, labels)")
    .option("--job-file <file>", "job file (JSON: issue, title, body, comments) instead of --issue")
    .requiredOption("--agent <name>", "agent to run (agents/<name>, .handoff/agents/<name> or shipped)")
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
    .option(
      "--secret-env <name>",
      "environment variable whose value is a secret (repeatable): masked everywhere Handoff writes, and a push carrying it is refused",
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
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

async function execute(
  mode: "run" | "cleanrun",
  flags: RunFlags & ForgeFlags,
  extra: string[],
): Promise<void> {
  const {
    findAgent,
    defaultAgentRoots,
    parseParameters,
    resolveRunOptions,
    runMode,
    cleanrunMode,
    runMetrics,
    Git,
  } = await import("./run-actions.js");

  const repo = resolve(flags.repo ?? process.cwd());
  const repoTop = await new Git(repo).mainWorktree();
  const agent = await findAgent(flags.agent, defaultAgentRoots(repoTop));
  const parameters = parseParameters(agent, extra);
  if (flags.issue !== undefined && !/^\d+$/.test(flags.issue)) {
    throw new UsageError(
      `--issue must be an issue number, got ${JSON.stringify(flags.issue)}; use --job-file for a named job`,
    );
  }
  const forge = await openForge(flags);
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
    const options = await resolveRunOptions({
      repo,
      agent,
      parameters,
      forge,
      ...(flags.issue !== undefined ? { issue: Number(flags.issue) } : {}),
      ...(flags.jobFile ? { jobFile: flags.jobFile } : {}),
      ...(flags.base ? { base: flags.base } : {}),
      ...(flags.summaryFile ? { summaryFile: flags.summaryFile } : {}),
      ...numbers({
        maxIterations: positive(flags.maxIterations, "--max-iterations", true),
        maxTurns: positive(flags.maxTurns, "--max-turns", true),
        timeoutSeconds: positive(flags.timeout, "--timeout"),
        maxCostUsd: positive(flags.maxCost, "--max-cost"),
        maxJobs: positive(flags.maxJobs, "--max-jobs", true),
      }),
      finalize: {
        ...(flags.merge === false ? { autoMerge: false } : {}),
        ...(flags.push ? { push: true } : {}),
        ...(flags.pushRemote ? { remote: flags.pushRemote } : {}),
        ...(flags.createPr ? { createPr: true } : {}),
        ...(flags.prTarget ? { prTarget: flags.prTarget } : {}),
      },
      ...(flags.jobName ? { jobName: flags.jobName } : {}),
      ...(flags.jobInput ? { jobInput: flags.jobInput } : {}),
      ...(flags.jobResult ? { jobResult: flags.jobResult } : {}),
      ...(flags.playbook ? { playbook: flags.playbook } : {}),
      ...(flags.policy ? { policy: flags.policy } : {}),
      ...(flags.secretEnv?.length ? { secretEnv: flags.secretEnv } : {}),
      mode,
      signal: controller.signal,
      // The policy hook runs this very CLI: the face knows where it is, the core does not.
      handoffCli: resolve(process.argv[1] ?? "handoff"),
      onNotice: (line) => process.stderr.write(`${line}\n`),
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
    const outcome = await (mode === "cleanrun" ? cleanrunMode : runMode)(options);
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
        pull_request: outcome.pullRequest ?? null,
        evidence_comments: outcome.evidenceComments ?? [],
        ...(outcome.publishError ? { publish_error: outcome.publishError } : {}),
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
      if (outcome.pullRequest) {
        const verb = outcome.pullRequest.created ? "opened" : "updated";
        output.printLine(`pull request #${outcome.pullRequest.number} ${verb}: ${outcome.pullRequest.url}`);
      }
      for (const c of outcome.evidenceComments ?? [])
        output.printLine(`evidence comment on #${c.target}: ${c.url}`);
    }
    if (outcome.publishError)
      process.stderr.write(`handoff: publishing the run failed: ${outcome.publishError}\n`);
    process.exitCode = outcome.exitCode;
  } finally {
    process.removeListener("SIGTERM", stop);
    process.removeListener("SIGINT", stop);
  }
}

/** Only the numbers that were given (exactOptionalPropertyTypes keeps `undefined` out). */
function numbers<T extends Record<string, number | undefined>>(values: T): { [K in keyof T]?: number } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: number;
  };
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
    .description(
      "Verify the last run summary, print seed 004's job-loop warnings; exit with its end reason's code",
    )
    .option("--summary-file <path>", "summary to verify (default: the newest run's)")
    .option("--repo <dir>", "repository (default: the current directory)")
    .addOption(new Option("--json", "print the verification as JSON"))
    .action(async (flags: { summaryFile?: string; repo?: string; json?: boolean }) => {
      const { testMode } = await import("./run-actions.js");
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
