/**
 * The prompt of one iteration: the agent's system prompt, the runbook, the job (issue title, body,
 * comments), the job payload of a job loop, the current step's prompt, and what the previous iteration
 * left behind (failing test output, unmet completion conditions, review comments).
 */
import type { AgentTurnReport } from "../runtimes/index.js";
import type { ConditionResult } from "./completion.js";
import type { Job } from "./job.js";

export interface PromptParts {
  systemPrompt: string;
  /** The agent's parameters (`--topic x`, after defaults), listed under the system prompt. */
  parameters?: Readonly<Record<string, string | number | boolean>>;
  /** A runbook for this kind of job (Markdown), when one applies. */
  runbook?: string;
  job: Job;
  /** job_input.json of a job loop, shown to the agent as JSON. */
  jobPayload?: unknown;
  /** The prompt of the current step of a step machine. */
  stepPrompt?: string;
  stepId?: string;
  iteration: number;
  maxIterations: number;
  /** What the previous iteration left: each entry is a titled block. */
  leftovers: ReadonlyArray<{ title: string; body: string }>;
  /** The completion keyword or schema the agent must produce, said plainly. */
  completionHint?: string;
}

const LEFTOVER_LIMIT = 8_000;

function clip(text: string, max = LEFTOVER_LIMIT): string {
  return text.length <= max ? text : `…(${text.length - max} earlier chars cut)\n${text.slice(-max)}`;
}

export function buildPrompt(parts: PromptParts): string {
  const { job } = parts;
  const params = Object.entries(parts.parameters ?? {}).map(([k, v]) => `- ${k}: ${String(v)}`);
  const system = parts.systemPrompt + (params.length ? `\n\n## Parameters\n\n${params.join("\n")}` : "");
  const out: string[] = [system.trim(), ""];
  if (parts.runbook) out.push("# Runbook", "", parts.runbook.trim(), "");
  out.push(`# Job: issue ${job.issue} — ${job.title}`, "");
  if (job.body.trim()) out.push(job.body.trim(), "");
  if (job.comments.length) {
    out.push("## Comments", "");
    for (const comment of job.comments)
      out.push(`**${comment.author ?? "someone"}:**`, comment.body.trim(), "");
  }
  if (parts.jobPayload !== undefined) {
    out.push(
      "## Job payload (job_input.json)",
      "",
      "```json",
      JSON.stringify(parts.jobPayload, null, 2),
      "```",
      "",
    );
  }
  if (parts.stepPrompt) out.push(`## Current step: ${parts.stepId ?? ""}`, "", parts.stepPrompt.trim(), "");
  out.push(`Iteration ${parts.iteration} of at most ${parts.maxIterations}.`);
  if (parts.completionHint) out.push(parts.completionHint);
  if (parts.leftovers.length) {
    out.push("", "# What the previous iteration left", "");
    for (const left of parts.leftovers)
      out.push(`## ${left.title}`, "", "```", clip(left.body.trim()), "```", "");
  }
  return `${out.join("\n").trim()}\n`;
}

/** What the next prompt should know: failing steps, unmet conditions, and the agent's own last words. */
export function feedback(
  playbook:
    | { steps: Array<{ name: string; status: string; exitCode: number | null; outputTail: string }> }
    | undefined,
  results: ConditionResult[],
  report: AgentTurnReport | undefined,
): Array<{ title: string; body: string }> {
  const out: Array<{ title: string; body: string }> = [];
  for (const step of playbook?.steps ?? []) {
    if (step.status !== "passed" && step.status !== "skipped") {
      out.push({
        title: `Playbook step "${step.name}" ${step.status} (exit ${step.exitCode ?? "none"})`,
        body: step.outputTail,
      });
    }
  }
  const unmet = results.filter((r) => !r.passed);
  if (unmet.length)
    out.push({
      title: "Completion conditions not met yet",
      body: unmet.map((r) => `${r.validator}: ${r.detail}`).join("\n"),
    });
  if (report?.resultText && out.length) out.push({ title: "Your last message", body: report.resultText });
  return out;
}
