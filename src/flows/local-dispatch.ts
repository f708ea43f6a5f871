/**
 * The local forge's dispatcher: the runner GitHub would start for a dispatched workflow, on this
 * machine, at once. The agent workflow (`agents.workflow`, inputs `issue`, `agent`, `reason`,
 * `review-id`) runs the agent on the issue the way the Action's `run` mode does — the job from the
 * issue, the parameters from its ```handoff block, the runner in the issue's worktree and branch —
 * and publishes the branch's one PR and the evidence comment on the local forge. The rollback workflow
 * (`agents.rollback_workflow`) runs the runner's rollback, then the tests, and posts the report. The
 * forge marks the run in_progress → completed around this and tells the workflow_run flow, so the
 * sticky status ends final as on GitHub; a failure here ends the run `failure` with its message. The
 * runner keeps the user's files and refs whatever happens (backup refs, WIP commits, never a tree
 * reset). A `/stop` from another process cancels the run record; the work is then stopped too.
 */
import { defaultAgentRoots, findAgent } from "../agents/index.js";
import { isCheckpointTagName } from "../checkpoints/trust.js";
import type { AgentRunsConfig } from "../config/agent-runs.js";
import { HandoffError, UsageError } from "../errors.js";
import type { LocalDispatch } from "../forge/index.js";
import { Git } from "../git/git.js";
import { runMode } from "../runs/modes.js";
import { resolveRunOptions } from "../runs/request.js";
import type { RunProgress } from "../runs/types.js";
import { issueRunParameters } from "./agent-parameters.js";
import type { ConfigLoader } from "./agent-runs/events.js";
import { postRollback, rollbackBranch } from "./rollback.js";

export interface LocalWorkOptions {
  /** Any folder of the repository whose local forge dispatches. */
  repo: string;
  /** The `handoff` CLI the policy hook runs (the face knows where it is). */
  handoffCli: string;
  /** The repository config: which workflows are Handoff's, and the permission that starts runs. */
  load: ConfigLoader;
  /** Progress lines (the CLI prints them on stderr). */
  progress?: (line: string) => void;
  /** The environment the agent's env names are read from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** How often the run record is read for a cancellation, in ms (default 1000). */
  pollMs?: number;
}

/** A workflow input as a positive whole number, or a UsageError naming the input. */
function whole(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`input \`${name}\` must be a positive whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

function progressLine(event: RunProgress): string | null {
  switch (event.kind) {
    case "iteration":
      return `iteration ${event.iteration}/${event.maxIterations}`;
    case "step":
      return event.status ? `step ${event.name} ${event.status}` : null;
    default:
      return null;
  }
}

async function agentWork(
  dispatch: LocalDispatch,
  config: AgentRunsConfig,
  options: LocalWorkOptions,
  signal: AbortSignal,
  say: (line: string) => void,
): Promise<void> {
  const { forge, inputs } = dispatch;
  const issue = whole(inputs.issue, "issue");
  if (issue === undefined) throw new UsageError("input `issue` is required");
  if (!inputs.agent) throw new UsageError("input `agent` is required");
  const reviewId = inputs.reason === "review" ? whole(inputs["review-id"], "review-id") : undefined;
  const repoTop = await new Git(options.repo).mainWorktree();
  const agent = await findAgent(inputs.agent, defaultAgentRoots(repoTop));
  const parameters = await issueRunParameters(forge, agent, await forge.getIssue(issue), config.permission);
  const run = await resolveRunOptions({
    repo: repoTop,
    agent,
    parameters,
    forge,
    issue,
    ...(reviewId !== undefined ? { reviewId } : {}),
    base: await forge.defaultBranch(),
    // As on GitHub: the work goes to the issue branch and its one PR, never straight into the base.
    finalize: { autoMerge: false, createPr: true },
    handoffCli: options.handoffCli,
    signal,
    artifactUrl: (await forge.getWorkflowRun(dispatch.runId)).url,
    onNotice: say,
    onProgress: (event) => {
      const line = progressLine(event);
      if (line) say(line);
    },
    ...(options.env ? { env: options.env } : {}),
  });
  const outcome = await runMode(run);
  const first = outcome.message?.split("\n")[0];
  say(
    `${outcome.endReason}${first ? `: ${first}` : ""}${outcome.branch ? ` (branch ${outcome.branch})` : ""}`,
  );
  if (outcome.pullRequest) {
    const verb = outcome.pullRequest.created ? "opened" : "updated";
    say(`pull request #${outcome.pullRequest.number} ${verb}: ${outcome.pullRequest.url}`);
  }
  for (const c of outcome.evidenceComments ?? []) say(`evidence comment on #${c.target}: ${c.url}`);
  if (outcome.publishError) throw new HandoffError(`publishing the run failed: ${outcome.publishError}`);
  if (outcome.exitCode !== 0)
    throw new HandoffError(`the run ended ${outcome.endReason}${first ? `: ${first}` : ""}`);
}

async function rollbackWork(
  dispatch: LocalDispatch,
  options: LocalWorkOptions,
  say: (line: string) => void,
): Promise<void> {
  const { forge, inputs } = dispatch;
  const issue = whole(inputs.issue, "issue");
  const { branch, checkpoint } = inputs;
  if (issue === undefined && !branch) throw new UsageError("input `issue` or `branch` is required");
  if (checkpoint && !isCheckpointTagName(checkpoint))
    throw new UsageError(
      `input \`checkpoint\` must be a checkpoint tag such as handoff/checkpoint/12/3, got ${JSON.stringify(checkpoint)}`,
    );
  const strategy = inputs.strategy ?? "reset";
  if (strategy !== "reset" && strategy !== "revert")
    throw new UsageError(`input \`strategy\` must be reset or revert, got ${JSON.stringify(strategy)}`);
  const git = new Git(await new Git(options.repo).mainWorktree());
  const report = await rollbackBranch(git, {
    ...(issue !== undefined ? { issue } : {}),
    ...(branch ? { branch } : {}),
    ...(checkpoint ? { checkpoint } : {}),
    strategy,
    runUrl: (await forge.getWorkflowRun(dispatch.runId)).url,
  });
  say(
    `rolled back ${report.branch} to ${report.to} (${report.result.from.slice(0, 12)} → ${report.result.sha.slice(0, 12)})`,
  );
  if (report.result.backupRef) say(`the old tip is kept as ${report.result.backupRef}`);
  const pr = await postRollback(forge, report);
  say(
    `report on ${
      [report.issue, pr?.number]
        .filter((n) => n !== undefined)
        .map((n) => `#${n}`)
        .join(" and ") || "no issue"
    }`,
  );
  if (!report.tests.ok)
    throw new HandoffError(`rolled back ${report.branch} to ${report.to}, but the tests failed`);
  if (!report.tests.skipped) say("tests passed");
}

/** The dispatcher the CLI gives its local forge. */
export function localDispatcher(options: LocalWorkOptions): (dispatch: LocalDispatch) => Promise<void> {
  return async (dispatch) => {
    const title = `${dispatch.workflow} run ${dispatch.runId}`;
    const say = (line: string): void => options.progress?.(`handoff: ${title}: ${line}`);
    const loaded = await options.load();
    if ("problems" in loaded)
      throw new UsageError(`${loaded.message}${loaded.problems.map((p) => `\n  ${p}`).join("")}`);
    const config = loaded;
    // `/stop` in another process cancels the run record; stop the work the way a cancelled job stops.
    const controller = new AbortController();
    const watch = setInterval(() => {
      dispatch.forge
        .getWorkflowRun(dispatch.runId)
        .then((run) => {
          if (run.status === "completed" && !controller.signal.aborted) {
            say("cancelled: stopping the work");
            controller.abort();
          }
        })
        .catch(() => undefined);
    }, options.pollMs ?? 1000);
    watch.unref();
    say(
      `started (${Object.entries(dispatch.inputs)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")})`,
    );
    try {
      if (dispatch.workflow === config.agents.workflow)
        await agentWork(dispatch, config, options, controller.signal, say);
      else if (dispatch.workflow === config.agents.rollback_workflow)
        await rollbackWork(dispatch, options, say);
      else
        throw new UsageError(
          `the local forge runs only Handoff's workflows (${config.agents.workflow}, ${config.agents.rollback_workflow}), not ${dispatch.workflow}`,
        );
      say("success");
    } catch (error) {
      say(`failure: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      clearInterval(watch);
    }
  };
}
