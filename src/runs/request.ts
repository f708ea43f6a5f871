/**
 * A run as a face asks for it (the CLI's flags, the Action's inputs) → the run's options, with every
 * default applied here once: the repository's main worktree, the job read through the forge (or a job
 * file), the iteration budget from the flag, else the agent's `maxIterations` parameter, the job-loop
 * files under `.handoff/`, and the forge the run is published on.
 */
import { join, resolve } from "node:path";
import type { AgentDefinition } from "../agents/index.js";
import { UsageError } from "../errors.js";
import type { Forge } from "../forge/index.js";
import { Git } from "../git/git.js";
import { loadJob } from "./job.js";
import type { FinalizeOptions, RunOptions, RunProgress } from "./types.js";

export interface RunRequest {
  /** Any folder inside the repository (default: the current directory). */
  repo?: string;
  agent: AgentDefinition;
  /** Agent parameters, already parsed by the face. */
  parameters?: Record<string, string | number | boolean>;
  /** The issue to work on, read through `forge`. */
  issue?: number;
  /** With `issue`: the review this run answers (its body and line comments end the job). */
  reviewId?: number;
  /** A job file instead of an issue. */
  jobFile?: string;
  /** Where the issue is read and the run published. */
  forge: Forge;
  base?: string;
  summaryFile?: string;
  maxIterations?: number;
  maxTurns?: number;
  timeoutSeconds?: number;
  maxCostUsd?: number;
  finalize?: Partial<FinalizeOptions>;
  /** Job loop (seed 004 S-5): run job 1..maxJobs, one per invocation. */
  maxJobs?: number;
  jobName?: string;
  jobInput?: string;
  jobResult?: string;
  playbook?: string;
  policy?: string;
  mode?: "run" | "cleanrun";
  signal?: AbortSignal;
  onProgress?: (event: RunProgress) => void;
  /** Told about one-off events, such as an old issue file migrated into the local forge. */
  onNotice?: (line: string) => void;
  /** The `handoff` CLI the policy hook runs (see RunOptions.handoffCli). */
  handoffCli: string;
  artifactUrl?: string;
  env?: NodeJS.ProcessEnv;
  /** Names of environment variables whose values are secrets to redact (see RunOptions.secretEnv). */
  secretEnv?: string[];
}

export async function resolveRunOptions(request: RunRequest): Promise<RunOptions> {
  if (request.issue === undefined && !request.jobFile)
    throw new UsageError("give --issue N or --job-file FILE");
  if (request.issue !== undefined && request.jobFile) {
    throw new UsageError("give either --issue or --job-file, not both");
  }
  const repo = resolve(request.repo ?? process.cwd());
  const repoTop = await new Git(repo).mainWorktree();
  const job = await loadJob({
    repoTop,
    forge: request.forge,
    ...(request.issue !== undefined ? { issue: request.issue } : {}),
    ...(request.reviewId !== undefined ? { reviewId: request.reviewId } : {}),
    ...(request.jobFile ? { jobFile: resolve(request.jobFile) } : {}),
    ...(request.onNotice ? { onNotice: request.onNotice } : {}),
  });
  if (request.issue !== undefined && job.issue !== request.issue) {
    throw new UsageError(`job issue ${job.issue} does not match --issue ${request.issue}`);
  }
  const parameters = request.parameters ?? {};
  const maxIterations =
    request.maxIterations ??
    (typeof parameters.maxIterations === "number" ? parameters.maxIterations : undefined);
  return {
    repo,
    agent: request.agent,
    job,
    ...(request.base ? { base: request.base } : {}),
    budgets: {
      ...(maxIterations !== undefined ? { maxIterations } : {}),
      ...(request.maxTurns !== undefined ? { maxTurns: request.maxTurns } : {}),
      ...(request.timeoutSeconds !== undefined ? { wallTimeMs: request.timeoutSeconds * 1000 } : {}),
      ...(request.maxCostUsd !== undefined ? { maxCostUsd: request.maxCostUsd } : {}),
    },
    finalize: request.finalize ?? {},
    ...(request.playbook ? { playbook: resolve(request.playbook) } : {}),
    ...(request.policy ? { policy: resolve(request.policy) } : {}),
    parameters,
    ...(request.summaryFile ? { summaryFile: resolve(request.summaryFile) } : {}),
    ...(request.maxJobs !== undefined
      ? {
          jobLoop: {
            maxJobs: request.maxJobs,
            jobName: request.jobName ?? request.agent.name,
            inputPath: resolve(request.jobInput ?? join(repoTop, ".handoff", "job_input.json")),
            resultPath: resolve(request.jobResult ?? join(repoTop, ".handoff", "job_result.json")),
          },
        }
      : {}),
    mode: request.mode ?? "run",
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    ...(request.env ? { env: request.env } : {}),
    ...(request.secretEnv?.length ? { secretEnv: request.secretEnv } : {}),
    handoffCli: request.handoffCli,
    publish: {
      forge: request.forge,
      ...(request.issue !== undefined ? { issue: request.issue } : {}),
      ...(request.artifactUrl ? { artifactUrl: request.artifactUrl } : {}),
    },
  };
}
