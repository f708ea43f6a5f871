/** Options and outcome of one run (an agent working one job in its worktree). */
import type { AgentDefinition, Finalize } from "../agents/index.js";
import type { GitOptions } from "../git/git.js";
import type { EndReason, RunSummary } from "../evidence/index.js";
import type { AgentTurnReport } from "../runtimes/index.js";
import type { Forge } from "../forge/index.js";
import type { PullRequestRequest } from "./finalize.js";
import type { Job } from "./job.js";

/** agent.json's `finalize` after the CLI's overrides (see `finalizeOptions`). */
export type FinalizeOptions = Finalize;

/** Budgets fail closed: whichever runs out first ends the run with a graceful wrap-up. */
export interface Budgets {
  /** Iterations of agent → playbook → completion check. */
  maxIterations: number;
  /** Model turns over the whole run (summed over iterations). */
  maxTurns?: number;
  /** Wall time of the whole run, in milliseconds. */
  wallTimeMs?: number;
  /** Spend over the whole run, in USD, as the agent CLI reports it. */
  maxCostUsd?: number;
}

/** Job loop settings: run job 1..maxJobs, one per invocation. */
export interface JobLoopOptions {
  maxJobs: number;
  jobName: string;
  /** job_input.json: read when present; its `job_name` overrides `jobName`. */
  inputPath: string;
  /** job_result.json: written at job_loop_complete. */
  resultPath: string;
}

/** A progress event for people watching a terminal. */
export type RunProgress =
  | { kind: "iteration"; iteration: number; maxIterations: number; elapsedMs: number }
  | { kind: "agent"; iteration: number; line: string }
  | { kind: "step"; name: string; status?: string; elapsedMs: number }
  | { kind: "ended"; endReason: EndReason; message?: string };

export interface RunOptions {
  /** Any folder inside the repository. */
  repo: string;
  agent: AgentDefinition;
  job: Job;
  /** Base branch of a new issue branch (default: the remote's default branch, else the current one). */
  base?: string;
  /**
   * Work in `repo`'s own clean checkout, switched to the issue branch, instead of an issue worktree (the
   * Action on a runner, whose job checkout already belongs to one issue). Default: a worktree.
   */
  inPlace?: boolean;
  budgets?: Partial<Budgets>;
  finalize?: Partial<FinalizeOptions>;
  /** Playbook run after each agent invocation (default: `.handoff/playbook.yml` in the worktree, if any). */
  playbook?: string;
  /** Execution policy file (default: `.handoff/policy.{yml,yaml,json}` of the repository, else the shipped deny-by-default `policies/default.yaml`). */
  policy?: string;
  /** Agent parameters (`--topic x`) after defaults. */
  parameters?: Record<string, string | number | boolean>;
  /** Runbook text added to the prompt. */
  runbook?: string;
  /** JSON summary path (the TXT line goes beside it). */
  summaryFile?: string;
  jobLoop?: JobLoopOptions;
  /** job_input.json's content, given to the prompt (the job loop reads it). */
  jobPayload?: unknown;
  /** `run`, `cleanrun`, … — recorded in the ledger. */
  mode?: string;
  /** SIGTERM/SIGINT of the CLI abort this: the run stops with `stopped` after its wrap-up. */
  signal?: AbortSignal;
  onProgress?: (event: RunProgress) => void;
  /** The environment agent env names are read from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /**
   * More environment variables whose values are secrets (`handoff run --secret-env NAME`, the Action's
   * inputs): registered with the run's redactor, so they are masked in everything Handoff writes and
   * a push whose commits carry one is refused. They are not passed to the agent.
   */
  secretEnv?: readonly string[];
  /**
   * Options of every git command the run makes. The Action passes its per-command credentials here
   * (`config`: `http.<server>/.extraheader`), so the token is never stored in `.git/config` nor placed in
   * the environment that agents and playbook steps inherit.
   */
  gitOptions?: Pick<GitOptions, "config">;
  /**
   * The `handoff` CLI script the agent's policy hook runs (`node <handoffCli> policy hook …`). Each
   * face passes its own — the CLI its script, the Action the `dist/cli.js` beside its bundle — because
   * only the face knows where it runs from; nothing guesses it.
   */
  handoffCli: string;
  /**
   * Where the run is published: its pull request is opened or updated through `forge`, and the
   * evidence comment upserted on `issue` (the issue the job was read from) and on the PR. Without it,
   * nothing is published.
   */
  publish?: {
    forge: Forge;
    issue?: number;
    /** A link to the run's full evidence (e.g. the workflow run's artifact), shown in the comment. */
    artifactUrl?: string;
  };
}

/** Everything a run did, as returned to the CLI (and written as the summary and run record). */
export interface RunOutcome {
  runId: string;
  endReason: EndReason;
  message?: string;
  exitCode: number;
  branch?: string;
  worktree?: string;
  iterations: number;
  lastCheckpoint?: string;
  commits: string[];
  agentReports: AgentTurnReport[];
  /** Every command the policy (or the agent CLI's permissions) refused, with the rule. */
  denied: Array<{ command: string; rule: string; reason: string; source: string }>;
  summary: RunSummary;
  summaryFile?: string;
  ledgerFile?: string;
  evidenceDir?: string;
  /** The run's base branch (what its branch started from and merges or opens a PR into). */
  base?: string;
  /** With `createPr`: the pull request finalize asked for (opened by `publishRun`). */
  pullRequestRequest?: PullRequestRequest;
  /** The pull request opened or updated through the forge, once published. */
  pullRequest?: { number: number; url: string; created: boolean };
  /** The evidence comments upserted through the forge, once published. */
  evidenceComments?: { target: number; url: string; created: boolean }[];
  /** What went wrong publishing to the forge (the run's own work is kept). */
  publishError?: string;
  merged?: boolean;
  pushed?: string[];
  /**
   * cleanrun: the backup refs the removed branch tips were saved under (the worktree's uncommitted
   * work, if any, as a WIP commit on top of its branch's tip).
   */
  backupRefs?: string[];
  /** Where the run's wall time went (milliseconds): worktree preparation, agent CLIs, playbooks, all. */
  timings?: { prepareMs: number; agentMs: number; playbookMs: number; totalMs: number };
}
