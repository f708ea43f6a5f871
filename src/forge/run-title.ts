/**
 * The title of a Handoff workflow run. A `workflow_run` event does not carry a dispatch's inputs, so
 * Handoff's workflows name their runs after the issue (`run-name:` in handoff-agent.yml and
 * handoff-rollback.yml), and the app reads the issue back from the run's `display_title`. The local
 * forge titles its runs the same way.
 */

/** `handoff-agent #7 shell (label)`, `handoff-rollback #7`, `handoff-rollback handoff/issue-7-x`. */
export function workflowRunTitle(workflow: string, inputs: Readonly<Record<string, string>>): string {
  const name = workflow.replace(/\.ya?ml$/, "");
  const target = inputs.issue ? `#${inputs.issue}` : (inputs.branch ?? "");
  const agent = inputs.agent ? ` ${inputs.agent}` : "";
  const reason = inputs.reason ? ` (${inputs.reason})` : "";
  return `${name} ${target}${agent}${reason}`.trim();
}

/** The issue a run title names (`… #7 …`), or null. */
export function issueOfRunTitle(title: string): number | null {
  const match = /(?:^|\s)#(\d+)(?=\s|$)/.exec(title);
  return match ? Number(match[1]) : null;
}
