/**
 * The dashboard (config `dashboard: true`): one issue, found by its label and marker and rewritten in
 * place — never a second one — listing pending LLM tasks, running agents, Handoff PRs awaiting review
 * and recent rollbacks, each linked. A refresh reads every open issue and PR once (on GitHub both in
 * one GraphQL request per 100 of each), the newest rollback runs in one request, and writes at most
 * once (nothing when unchanged).
 */
import { marker } from "../../forge/markers.js";
import type { Forge, ForgeIssue, ForgePullRequest, WorkflowRun } from "../../forge/types.js";
import { DEFAULT_BRANCH_PREFIX } from "../../worktrees/naming.js";
import type { AgentRunsConfig } from "../../config/agent-runs.js";

export const DASHBOARD_LABEL = {
  name: "handoff:dashboard",
  color: "0e8a16",
  description: "Handoff's dashboard",
};
export const DASHBOARD_MARKER = marker("dashboard");
/** The label LLM-task issues carry (src/flows/llm-tasks). */
const LLM_TASK_LABEL = "handoff:llm-task";
const RECENT_ROLLBACKS = 10;
/** A section lists this many items, then says how many more there are. */
const SECTION_LIMIT = 50;

export interface DashboardOutcome {
  issue: number;
  created: boolean;
  changed: boolean;
}

export async function refreshDashboard(
  forge: Forge,
  config: AgentRunsConfig,
): Promise<DashboardOutcome | null> {
  if (!config.dashboard) return null;
  // Both lists in one request where the forge can (GitHub's GraphQL): one call per 100 items.
  await forge.prefetch?.({ allOpenIssues: true, openPullRequests: true });
  const issues = await forge.listIssues({ state: "open" });
  const pulls = await forge.listPullRequests({ state: "open" });
  const rollbacks = await forge.listWorkflowRuns({
    workflow: config.agents.rollback_workflow,
    limit: RECENT_ROLLBACKS,
  });
  const body = renderDashboard(config, issues, pulls, rollbacks);

  const isDashboard = (i: ForgeIssue) =>
    i.labels.includes(DASHBOARD_LABEL.name) && i.body.includes(DASHBOARD_MARKER);
  const open = issues.find(isDashboard);
  if (open) {
    if (open.body === body) return { issue: open.number, created: false, changed: false };
    await forge.updateIssue(open.number, { body });
    return { issue: open.number, created: false, changed: true };
  }
  // Someone closed it: reopen that one rather than start a second.
  const closed = (await forge.listIssues({ labels: [DASHBOARD_LABEL.name], state: "closed" })).find(
    isDashboard,
  );
  if (closed) {
    await forge.updateIssue(closed.number, { body, state: "open" });
    return { issue: closed.number, created: false, changed: true };
  }
  const created = await forge.createIssue({ title: "Handoff dashboard", body, labels: [DASHBOARD_LABEL] });
  return { issue: created.number, created: true, changed: true };
}

function section(title: string, lines: string[], empty: string): string {
  const shown = lines.slice(0, SECTION_LIMIT);
  const more = lines.length > SECTION_LIMIT ? [`- … and ${lines.length - SECTION_LIMIT} more`] : [];
  return [
    `### ${title} (${lines.length})`,
    "",
    ...(lines.length ? [...shown, ...more] : [`_${empty}_`]),
  ].join("\n");
}

/** Titles are people's text: one line, no HTML. */
function text(s: string): string {
  return s.replace(/\r?\n/g, " ").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function renderDashboard(
  config: AgentRunsConfig,
  issues: readonly ForgeIssue[],
  pulls: readonly ForgePullRequest[],
  rollbacks: readonly WorkflowRun[],
): string {
  const line = (i: { number: number; title: string; url: string }) =>
    `- [#${i.number}](${i.url}) ${text(i.title)}`;
  const pending = issues.filter((i) => i.labels.includes(LLM_TASK_LABEL)).map(line);
  const running = issues
    .filter((i) => i.labels.includes(config.agents.running_label))
    .map((i) => {
      const agents = i.labels
        .filter((l) => l.startsWith(config.agents.label_prefix))
        .map((l) => `\`${text(l)}\``);
      return `${line(i)}${agents.length ? ` — ${agents.join(", ")}` : ""}`;
    });
  const review = pulls
    .filter((p) => p.head.startsWith(DEFAULT_BRANCH_PREFIX) && !p.draft)
    .map((p) => `${line(p)} — \`${text(p.head)}\``);
  const rolled = rollbacks.map((r) => {
    const outcome = r.status === "completed" ? (r.conclusion ?? "completed") : r.status;
    return `- [${text(r.displayTitle || r.name)}](${r.url}) — ${outcome}, ${r.createdAt}`;
  });
  return [
    DASHBOARD_MARKER,
    "## Handoff dashboard",
    "",
    section("Pending LLM tasks", pending, "No LLM task is waiting for an answer."),
    "",
    section("Running agents", running, "No agent is running."),
    "",
    section("Pull requests awaiting review", review, "No Handoff pull request is open."),
    "",
    section("Recent rollbacks", rolled, "No rollback has run."),
    "",
    "<sub>Handoff rewrites this issue on every change; edits here are overwritten.</sub>",
    "",
  ].join("\n");
}
