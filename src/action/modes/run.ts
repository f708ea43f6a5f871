/**
 * `mode: run` and `mode: cleanrun`: the job comes from the issue through the forge, the runner works
 * it on the issue branch with per-command git credentials, then the action pushes the branch and its
 * checkpoint tags, opens or updates the one PR of the branch, and writes the one evidence comment on
 * the issue and the PR, the job summary and the outputs. A failure after the run (the forge down, a
 * push refused) never loses the work: what was pushed stays, and the reason is in the summary.
 */
import * as core from "@actions/core";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { defaultAgentRoots, findAgent } from "../../agents/index.js";
import { renderEvidenceComment } from "../../evidence/index.js";
import { HandoffError, UsageError } from "../../errors.js";
import { issueEvidenceMarker, publishRunPullRequest, upsertEvidence } from "../../flows/publish-run.js";
import { jobFromIssue } from "../../flows/issue-job.js";
import { issueRunParameters } from "../../flows/agent-parameters.js";
import { isBot, permissionRefusal, reply } from "../../flows/agent-runs/sender.js";
import { pushBranch, pushTags } from "../../git/push.js";
import { probeSandbox } from "../../sandbox/bwrap.js";
import { passedSecrets } from "../../runtimes/env.js";
import { cleanrunMode, runMode } from "../../runs/modes.js";
import { buildRunReport } from "../../runs/report.js";
import { HandoffState } from "../../state/handoff-state.js";
import type { RunOutcome } from "../../runs/types.js";
import { writePhaseState } from "../phase-state.js";
import { setOutputs, writeStepSummary } from "../outputs.js";
import type { Session } from "../session.js";

/** Events whose sender started the run and must hold the required permission. */
const SENDER_EVENTS = new Set([
  "issues",
  "issue_comment",
  "pull_request_review",
  "pull_request_review_comment",
]);

/** The agent named by an `agent:<name>` label when an `issues: labeled` event started the workflow. */
function agentFromLabel(session: Session): string | undefined {
  const { event, eventName } = session.context;
  if (eventName !== "issues" || event.action !== "labeled") return undefined;
  const label = event.label?.name ?? "";
  return label.startsWith("agent:") ? label.slice("agent:".length) : undefined;
}

/** `dist/cli.js` beside this bundle: the policy hook the agent's CLI calls. */
function bundledCli(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, "cli.js"), join(here, "..", "cli.js")]) {
    if (existsSync(candidate) && existsSync(join(dirname(candidate), "action.js"))) return candidate;
  }
  throw new HandoffError(
    `the Action's bundle has no cli.js beside it (looked in ${here}): the policy hook cannot run`,
  );
}

/** The app's own check, in the action: the sender must hold `required-permission`; bots are never obeyed. */
async function checkSender(session: Session, issue: number): Promise<void> {
  const { event, eventName } = session.context;
  if (!SENDER_EVENTS.has(eventName) || !event.sender) return;
  const sender = { login: event.sender.login, type: event.sender.type ?? "User" };
  if (isBot(sender)) throw new UsageError(`${sender.login} is a bot: Handoff starts no run for bots`);
  const forge = await session.forge();
  const refusal = await permissionRefusal(forge, sender, session.inputs["required-permission"]);
  if (!refusal) return;
  await reply(
    forge,
    issue,
    { refused: "run", sender: sender.login },
    `Handoff did not start a run: ${refusal}`,
  );
  throw new UsageError(refusal);
}

export default async function run(session: Session): Promise<void> {
  const { inputs, context, redactor } = session;
  const issue = inputs.issue ?? session.context.event.issue?.number;
  if (!issue) throw new UsageError("input `issue` is required in mode run");
  const agentName = agentFromLabel(session) ?? inputs.agent;
  await checkSender(session, issue);
  const forge = await session.forge();
  // Whether bubblewrap works is found once per process: start finding out while GitHub answers.
  void probeSandbox();
  // Independent reads go out together: on GitHub each is a round trip before the agent can start.
  const [job, agent, base] = await Promise.all([
    jobFromIssue(forge, issue, {
      ...(inputs.reason === "review" && inputs["review-id"] ? { reviewId: inputs["review-id"] } : {}),
    }),
    findAgent(agentName, defaultAgentRoots(session.repoDir)),
    inputs.base ?? forge.defaultBranch(),
  ]);
  // The issue's ```handoff block, then the `parameters` input on top (src/flows/agent-parameters.ts).
  const parameters = await issueRunParameters(
    forge,
    agent,
    { number: issue, body: job.body },
    inputs["required-permission"],
    inputs.parameters,
  );

  await writePhaseState(context.stateFile, {
    mode: inputs.mode,
    issue,
    agent: agent.name,
    stage: "started",
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
  });
  const marker = issueEvidenceMarker(issue);
  // The status comment goes out while the run prepares its branch; it is awaited before the evidence
  // replaces it (so the two never race into two comments), and its failure is reported, not fatal.
  const running = forge
    .upsertComment(
      issue,
      marker,
      `${marker}\n### Handoff run: ⏳ running\n\nThe ${agent.name} agent is working on this issue` +
        `${context.runUrl ? ` ([workflow run](${context.runUrl}))` : ""}.\n`,
    )
    .then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );

  // The runner's own stop: SIGTERM/SIGINT (a cancelled job) end the run as `stopped` after its wrap-up.
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  let outcome: RunOutcome;
  try {
    const cli = bundledCli();
    outcome = await (inputs.mode === "cleanrun" ? cleanrunMode : runMode)({
      repo: session.repoDir,
      agent,
      job,
      base,
      inPlace: inputs["in-place"],
      budgets: inputs["max-iterations"] ? { maxIterations: inputs["max-iterations"] } : {},
      // The action pushes and opens the PR itself, after the run, with its own credentials.
      finalize: { autoMerge: false, push: false, createPr: false },
      parameters,
      ...(inputs["summary-file"] ? { summaryFile: resolve(session.repoDir, inputs["summary-file"]) } : {}),
      mode: inputs.mode,
      signal: controller.signal,
      gitOptions: session.gitAuth,
      handoffCli: cli,
      onProgress: (event) => {
        if (event.kind === "iteration")
          core.info(`handoff: iteration ${event.iteration}/${event.maxIterations}`);
        if (event.kind === "step" && event.status) core.info(`handoff: step ${event.name} ${event.status}`);
      },
    });
  } finally {
    process.removeListener("SIGTERM", stop);
    process.removeListener("SIGINT", stop);
  }

  const notes: string[] = [];
  const runningError = await running;
  if (runningError) notes.push(`the status comment could not be posted: ${runningError.message}`);
  let pushed = false;
  if (outcome.branch && (await session.git.tryRemoteUrl("origin")) !== null) {
    try {
      // Scanned for the token and every credential the agent was given, as the run's own pushes are.
      for (const value of passedSecrets(process.env, agent.agent.runtime.env)) redactor.addSecret(value);
      const secrets = redactor;
      await pushBranch(session.git, { remote: "origin", branch: outcome.branch, secrets });
      await pushTags(session.git, { remote: "origin", prefix: `handoff/checkpoint/${issue}`, secrets });
      pushed = true;
    } catch (error) {
      notes.push(`push failed: ${(error as Error).message}`);
    }
  }

  let pr: { number: number; url: string } | undefined;
  let evidenceUrl: string | undefined;
  let publishError: Error | undefined;
  try {
    const ahead =
      pushed && outcome.branch
        ? await session.git.revList(`origin/${base}..refs/heads/${outcome.branch}`).catch(() => [])
        : [];
    if (pushed && outcome.branch && ahead.length > 0) {
      const published = await publishRunPullRequest(forge, {
        issue,
        branch: outcome.branch,
        base,
        title: `${job.title} (#${issue})`,
        summary: redactor.redact(
          `Work by the ${agent.name} agent on #${issue}: ${outcome.endReason}` +
            `${outcome.message ? ` — ${outcome.message.split("\n")[0]}` : ""}.`,
        ),
        draft: inputs.draft,
        reviewers: [...(context.actor ? [context.actor] : []), ...inputs.reviewers],
        labels: inputs.labels,
      });
      pr = { number: published.pr.number, url: published.pr.url };
    } else if (pushed && outcome.branch) {
      notes.push(`no pull request: ${outcome.branch} has no commits beyond ${base}`);
    }
  } catch (error) {
    publishError = error as Error;
    notes.push(`the pull request could not be published: ${publishError.message}`);
  }

  // The core's report of the run, the same the CLI publishes: from the run record the runner wrote.
  const state = await HandoffState.open(session.git);
  const record = (await state.runRecord(outcome.runId)) ?? {
    run_id: outcome.runId,
    agent: agent.name,
    issue,
    started_at: new Date().toISOString(),
    end_reason: outcome.endReason,
    ...(outcome.branch ? { branch: outcome.branch } : {}),
    ...(outcome.evidenceDir ? { evidence_dir: outcome.evidenceDir } : {}),
  };
  const report = await buildRunReport(session.git, record, {
    diffBase: `origin/${base}`,
    ...(pr ? { prUrl: pr.url } : {}),
    ...(context.runUrl ? { artifactUrl: context.runUrl } : {}),
    notes,
  });
  const body = renderEvidenceComment(report, { redactor });
  await writeStepSummary(body);
  setOutputs({
    "end-reason": publishError ? "fatal_error" : outcome.endReason,
    ...(outcome.branch ? { branch: outcome.branch } : {}),
    ...(pr ? { "pr-number": pr.number, "pr-url": pr.url } : {}),
    ...(outcome.lastCheckpoint ? { checkpoint: outcome.lastCheckpoint } : {}),
    ...(outcome.summaryFile ? { "summary-file": outcome.summaryFile } : {}),
  });
  try {
    const comments = await upsertEvidence(forge, issue, body, pr?.number);
    evidenceUrl = comments.issueComment.url;
    setOutputs({ "evidence-comment-url": evidenceUrl });
  } catch (error) {
    publishError ??= error as Error;
  }
  await writePhaseState(context.stateFile, {
    mode: inputs.mode,
    issue,
    agent: agent.name,
    ...(outcome.branch ? { branch: outcome.branch } : {}),
    stage: "finished",
  });

  if (publishError) {
    const pushedNote = pushed && outcome.branch ? ` (the work is safe on ${outcome.branch})` : "";
    throw new HandoffError(
      `run ended ${outcome.endReason}, then GitHub failed: ${publishError.message}${pushedNote}`,
    );
  }
  if (outcome.exitCode !== 0) {
    core.setFailed(
      `run ended ${outcome.endReason}${outcome.message ? `: ${redactor.redact(outcome.message.split("\n")[0] ?? "")}` : ""}`,
    );
  }
}
