/** The action's outputs and its job summary, written in one place so every mode reports alike. */
import * as core from "@actions/core";

export interface ActionOutputs {
  "end-reason"?: string;
  branch?: string;
  "pr-number"?: number;
  "pr-url"?: string;
  checkpoint?: string;
  "summary-file"?: string;
  "evidence-comment-url"?: string;
  /** sync-tasks: pending files committed to the queue branch now. */
  "tasks-pushed"?: number;
  /** sync-tasks, fetch-results: pending tasks that still have no result. */
  "tasks-waiting"?: number;
  /** sync-tasks: issues opened now, one per task that had none. */
  "issues-opened"?: number;
  /** sync-tasks: issues closed because their task has a result. */
  "issues-closed"?: number;
  /** fetch-results: results written into the local queue now. */
  "results-pulled"?: number;
}

export function setOutputs(outputs: ActionOutputs): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined && value !== "") core.setOutput(name, String(value));
  }
}

/** Appends Markdown (already redacted) to `$GITHUB_STEP_SUMMARY`, when the runner gives one. */
export async function writeStepSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown, true).write();
}
