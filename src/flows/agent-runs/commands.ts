/**
 * Slash commands on issues and Handoff PRs, from users with the permission: `/rollback` dispatches the
 * rollback workflow, `/retry` re-dispatches the last agent, `/stop` cancels the issue's running
 * workflow run, `/status` refreshes the sticky status comment. An accepted command gets a reaction; a
 * refusal gets its reason; an unknown `/word` gets the help. Bots are never obeyed.
 */
import { ConflictError, ForgeError, NotFoundError } from "../../errors.js";
import type { Forge } from "../../forge/types.js";
import { type AgentCommand, helpText, parseAgentCommand } from "./command-parse.js";
import type { AgentRunsConfig } from "../../config/agent-runs.js";
import { issueOfHead } from "./review.js";
import { type Sender, isBot, permissionRefusal, reply } from "./sender.js";
import { startRun, statusOf } from "./start.js";
import { isActive, writeStatus } from "./status.js";
import { onWorkflowRun } from "./workflow-run.js";

/** The part of an `issue_comment.created` event the flow reads. */
export interface CommentEvent {
  issue: { number: number; isPullRequest: boolean };
  comment: { id: number; body: string };
  sender: Sender;
  delivery?: string;
  defaultBranch?: string;
}

export type CommandOutcome =
  | { kind: "ignored"; reason: string }
  | { kind: "help"; word: string }
  | { kind: "refused"; command: string; reason: string }
  | { kind: "accepted"; command: AgentCommand["name"]; detail: string };

/** Whether a comment is a command of this flow (no API call: handlers ask this first). */
export function isAgentCommand(body: string): boolean {
  return parseAgentCommand(body) !== null;
}

export async function handleCommand(
  forge: Forge,
  config: AgentRunsConfig,
  event: CommentEvent,
): Promise<CommandOutcome> {
  const command = parseAgentCommand(event.comment.body);
  if (!command) return { kind: "ignored", reason: "not a command" };
  if (isBot(event.sender)) return { kind: "ignored", reason: `${event.sender.login} is a bot` };
  const where = event.issue.number;
  const answer = (text: string) =>
    reply(forge, where, { comment: event.comment.id }, `@${event.sender.login} ${text}`);

  if (command.name === "unknown") {
    await answer(helpText(command.word));
    return { kind: "help", word: command.word };
  }
  const refuse = async (name: string, reason: string): Promise<CommandOutcome> => {
    await answer(`\`/${name}\` refused: ${reason}`);
    return { kind: "refused", command: name, reason };
  };
  if (command.name === "invalid") return refuse(command.command, command.message);

  const denied = await permissionRefusal(forge, event.sender, config.permission);
  if (denied) return refuse(command.name, denied);

  // On a PR the command is about the issue its Handoff branch belongs to.
  let issue = where;
  let branch: string | null = null;
  if (event.issue.isPullRequest) {
    const pr = await forge.getPullRequest(where);
    const owner = issueOfHead(pr.head);
    if (owner === null)
      return refuse(command.name, `#${where} is not a Handoff pull request (head ${pr.head}).`);
    issue = owner;
    branch = pr.head;
  }

  const ack = { commentId: event.comment.id, content: "+1" as const };
  const accept = async (detail: string, acknowledged = false): Promise<CommandOutcome> => {
    if (!acknowledged) await forge.addReaction({ commentId: ack.commentId }, ack.content);
    return { kind: "accepted", command: command.name, detail };
  };
  const ref = async () => config.agents.ref ?? event.defaultBranch ?? (await forge.defaultBranch());

  switch (command.name) {
    case "rollback": {
      const inputs: Record<string, string> = branch ? { branch } : { issue: String(issue) };
      if (command.checkpoint) inputs.checkpoint = command.checkpoint;
      inputs.strategy = command.strategy;
      await forge.dispatchWorkflow({ workflow: config.agents.rollback_workflow, ref: await ref(), inputs });
      return accept(`dispatched ${config.agents.rollback_workflow} for ${branch ?? `#${issue}`}`);
    }
    case "retry": {
      const status = await statusOf(forge, issue);
      if (!status?.data) return refuse("retry", `#${issue} has had no agent run to retry.`);
      const outcome = await startRun(forge, config, {
        issue,
        agent: status.data.agent,
        reason: "retry",
        requestedBy: event.sender.login,
        delivery: event.delivery ?? null,
        status,
        defaultBranch: await ref(),
        // Acknowledged with the status and the label, in the same request.
        acknowledge: ack,
      });
      if (outcome.kind === "busy") {
        return refuse(
          "retry",
          `a run of \`${outcome.status.agent}\` is already ${outcome.status.state}; \`/stop\` it first.`,
        );
      }
      if (outcome.kind === "dispatch_failed") return refuse("retry", outcome.message);
      return accept(`dispatched ${status.data.agent} again`, true);
    }
    case "stop":
      return stop(forge, config, issue, refuse, accept);
    case "status": {
      const status = await statusOf(forge, issue);
      if (!status?.data) return refuse("status", `#${issue} has had no agent run.`);
      if (status.data.runId && isActive(status.data.state)) {
        const run = await forge.getWorkflowRun(status.data.runId);
        await onWorkflowRun(forge, config, {
          action: run.status === "completed" ? "completed" : "in_progress",
          run: { ...run, workflow: run.workflow ?? config.agents.workflow },
        });
      } else {
        await writeStatus(forge, issue, { ...status.data, updatedAt: new Date().toISOString() }, status);
      }
      return accept("status refreshed");
    }
  }
}

type Refuse = (name: string, reason: string) => Promise<CommandOutcome>;
type Accept = (detail: string) => Promise<CommandOutcome>;

/** Cancels the issue's active run: the one its status names, else the newest active run titled #N. */
async function stop(forge: Forge, config: AgentRunsConfig, issue: number, refuse: Refuse, accept: Accept) {
  const status = await statusOf(forge, issue);
  if (!status?.data || !isActive(status.data.state))
    return refuse("stop", `no agent run is active on #${issue}.`);
  let runId = status.data.runId;
  if (!runId) {
    // Queued: the forge may not have told us its run yet. Look among the workflow's active runs.
    for (const state of ["in_progress", "queued"]) {
      const runs = await forge.listWorkflowRuns({ workflow: config.agents.workflow, status: state });
      const found = runs.find((r) => new RegExp(`(^|\\s)#${issue}(\\s|$)`).test(r.displayTitle));
      if (found) {
        runId = found.id;
        break;
      }
    }
  }
  if (!runId)
    return refuse("stop", `the run of #${issue} has not started on the forge yet; try again in a moment.`);
  try {
    await forge.cancelWorkflowRun(runId);
  } catch (error) {
    // GitHub answers 409 for a run that already ended (a ForgeError there, a ConflictError offline).
    if (error instanceof ConflictError || error instanceof NotFoundError || error instanceof ForgeError) {
      return refuse("stop", `run ${runId} cannot be cancelled: ${error.message}`);
    }
    throw error;
  }
  return accept(`cancelled run ${runId}`);
}
