/**
 * The agent-run handlers offline: right after `handoff issue label` or `handoff issue comment` on the
 * local forge, the CLI plays GitHub's part and hands the event to the same flow the app runs on the
 * webhook (src/flows/agent-runs/events.ts). The handlers act as the forge's own user, the way the app
 * acts as itself; the local forge's workflow-run hook feeds `workflow_run` back to the status flow.
 */
import { resolve } from "node:path";
import type { ConfigLoader } from "../flows/agent-runs/events.js";
import type { Forge, ForgeComment } from "../forge/types.js";
import type { ForgeFlags } from "./forge.js";

async function localHandlers(flags: ForgeFlags): Promise<{ forge: Forge; load: ConfigLoader }> {
  const { loadHandoffConfig } = await import("../config/index.js");
  const { ConfigError } = await import("../errors.js");
  const { onWorkflowRunEvent } = await import("../flows/agent-runs/events.js");
  const { openForge } = await import("./forge.js");
  const root = resolve(flags.repo ?? process.cwd());
  const load: ConfigLoader = () =>
    loadHandoffConfig(root).catch((error: unknown) => {
      if (!(error instanceof ConfigError)) throw error;
      return { message: error.message, problems: [...error.problems] };
    });
  const forge: Forge = await openForge(
    { ...flags, as: undefined },
    { onWorkflowRun: async (action, run) => void (await onWorkflowRunEvent(forge, load, { action, run })) },
  );
  return { forge, load };
}

/** Who the CLI's user is on the local forge: `--as`, else the forge's own user. */
async function sender(flags: ForgeFlags) {
  const { openForge } = await import("./forge.js");
  const forge = await openForge(flags);
  return { login: (forge as { actor?: string }).actor ?? "local", type: "User" };
}

/** Runs the label handler for labels just added on the local forge; returns lines to print. */
export async function afterLocalLabels(
  flags: ForgeFlags,
  issue: number,
  labels: readonly string[],
): Promise<string[]> {
  const { onIssueLabeled } = await import("../flows/agent-runs/events.js");
  const { forge, load } = await localHandlers(flags);
  const who = await sender(flags);
  const lines: string[] = [];
  for (const label of labels) {
    const outcome = await onIssueLabeled(forge, load, { issue: { number: issue }, label, sender: who });
    if (outcome.kind === "ignored") continue;
    if (outcome.kind === "started")
      lines.push(`${label}: dispatched the agent workflow for #${issue} (status ${outcome.status.state})`);
    else if (outcome.kind === "refused") {
      process.exitCode = 1;
      lines.push(`${label}: refused: ${outcome.reason}${outcome.problems.map((p) => `\n  ${p}`).join("")}`);
    } else if (outcome.kind === "invalid-config") {
      process.exitCode = 1;
      lines.push(
        `${label}: refused: ${outcome.problem.message}${outcome.problem.problems.map((p) => `\n  ${p}`).join("")}`,
      );
    } else if (outcome.kind === "dispatch_failed") {
      process.exitCode = 1;
      lines.push(`${label}: ${outcome.message}`);
    }
  }
  return lines;
}

/** Runs the command handler for a comment just made on the local forge; returns a line to print. */
export async function afterLocalCommand(
  flags: ForgeFlags,
  issue: number,
  comment: ForgeComment,
): Promise<string | null> {
  const { onCommentCreated } = await import("../flows/agent-runs/events.js");
  const { forge, load } = await localHandlers(flags);
  const target = await forge.getIssue(issue);
  const outcome = await onCommentCreated(forge, load, {
    issue: { number: issue, isPullRequest: target.isPullRequest },
    comment: { id: comment.id, body: comment.body },
    sender: comment.author,
  });
  switch (outcome.kind) {
    case "ignored":
      return null;
    case "accepted":
      return `/${outcome.command}: ${outcome.detail}`;
    case "help":
      return `/${outcome.word} is not a command (the reply on #${issue} lists them)`;
    case "refused":
      process.exitCode = 1;
      return `/${outcome.command} refused: ${outcome.reason}`;
    case "invalid-config":
      process.exitCode = 1;
      return `refused: ${outcome.problem.message}${outcome.problem.problems.map((p) => `\n  ${p}`).join("")}`;
  }
}
