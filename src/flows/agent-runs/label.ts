/**
 * `agent:<name>` on an issue starts agent `<name>`: the label's sender (not the issue's author) must
 * hold the configured permission, the agent must exist and validate at the default branch, and no run
 * of the issue may be active. A refused label is answered on the issue and taken off again, so the
 * issue never shows an agent that is not working on it.
 */
import type { Forge } from "../../forge/types.js";
import { checkAgentAt } from "./agent-check.js";
import type { AgentRunsConfig } from "./config.js";
import { type Sender, isBot, permissionRefusal, reply } from "./sender.js";
import { type StartOutcome, startRun } from "./start.js";

/** The part of an `issues.labeled` event the flow reads. */
export interface LabelEvent {
  issue: {
    number: number;
    isPullRequest?: boolean;
    /** The issue's comment count from the payload: 0 spares looking for a status comment. */
    comments?: number;
  };
  /** The label just added. */
  label: string;
  sender: Sender;
  /** The webhook delivery id (none offline). */
  delivery?: string;
  defaultBranch?: string;
}

export type LabelOutcome =
  | { kind: "ignored"; reason: string }
  | { kind: "refused"; reason: string; problems: string[] }
  | StartOutcome;

/** The agent a label names, or null when it is not an agent label. */
export function agentOfLabel(config: AgentRunsConfig, label: string): string | null {
  const prefix = config.agents.label_prefix;
  return label.startsWith(prefix) && label.length > prefix.length ? label.slice(prefix.length) : null;
}

export async function startFromLabel(
  forge: Forge,
  config: AgentRunsConfig,
  event: LabelEvent,
): Promise<LabelOutcome> {
  const agent = agentOfLabel(config, event.label);
  if (!agent) return { kind: "ignored", reason: `${event.label} is not an agent label` };
  // The app's own labels (a task whose dependencies are done) are started by the flow that set them.
  if (isBot(event.sender)) return { kind: "ignored", reason: `${event.sender.login} is a bot` };
  if (event.issue.isPullRequest)
    return { kind: "ignored", reason: "agents start from issues, not pull requests" };
  const issue = event.issue.number;

  const refuse = async (reason: string, problems: string[] = []): Promise<LabelOutcome> => {
    const list = problems.length
      ? `\n\n${problems.map((p) => `- \`${p.replace(/`/g, "'")}\``).join("\n")}`
      : "";
    await reply(
      forge,
      issue,
      { issue, label: event.label, delivery: event.delivery ?? new Date().toISOString() },
      `Handoff did not start \`${agent}\`: ${reason}${list}\n\nThe label \`${event.label}\` was removed; nothing was dispatched.`,
    );
    await forge.removeLabel(issue, event.label);
    return { kind: "refused", reason, problems };
  };

  const denied = await permissionRefusal(forge, event.sender, config.permission);
  if (denied) return refuse(denied);
  const checked = await checkAgentAt(forge, agent, config.agents.ref ?? event.defaultBranch);
  if (!checked.ok) return refuse(checked.message, checked.problems);

  const outcome = await startRun(forge, config, {
    issue,
    agent,
    reason: "label",
    requestedBy: event.sender.login,
    delivery: event.delivery ?? null,
    ...(event.defaultBranch ? { defaultBranch: event.defaultBranch } : {}),
    ...(event.issue.comments === 0 ? { status: null } : {}),
  });
  if (outcome.kind !== "busy") return outcome;
  return refuse(
    `a run of \`${outcome.status.agent}\` is already ${outcome.status.state} on this issue; \`/stop\` it first or wait for it to end.`,
  );
}
