/**
 * Security rules for workflows and action.yml, checked on the parsed YAML (with the raw text for the
 * version comments that YAML drops): no untrusted `${{ github.event.* }}` or `${{ inputs.* }}` inside
 * a `run:` script (values reach scripts through `env:`), a top-level `permissions` in every workflow,
 * and every third-party `uses:` pinned to a full commit SHA with its version in a comment.
 */
import { parse } from "yaml";

const UNTRUSTED_IN_RUN = /\$\{\{[^}]*\b(github\.event\.|inputs\.)/;
const PINNED = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;

interface Step {
  uses?: string;
  run?: string;
  name?: string;
  id?: string;
}

function stepsOf(doc: Record<string, unknown>): Array<{ where: string; step: Step }> {
  const found: Array<{ where: string; step: Step }> = [];
  const runs = doc.runs as { steps?: Step[] } | undefined;
  for (const [i, step] of (runs?.steps ?? []).entries()) found.push({ where: `runs.steps[${i}]`, step });
  const jobs = (doc.jobs ?? {}) as Record<string, { steps?: Step[]; uses?: string }>;
  for (const [name, job] of Object.entries(jobs)) {
    if (job.uses) found.push({ where: `jobs.${name}`, step: { uses: job.uses } });
    for (const [i, step] of (job.steps ?? []).entries())
      found.push({ where: `jobs.${name}.steps[${i}]`, step });
  }
  return found;
}

/** Every problem of one workflow or action file, `file: where: what`. */
export function lintWorkflowText(text: string, file: string, kind: "workflow" | "action"): string[] {
  const doc = parse(text) as Record<string, unknown>;
  const problems: string[] = [];
  if (kind === "workflow" && doc.permissions === undefined)
    problems.push(`${file}: no top-level permissions (give the least the jobs need)`);
  const lines = text.split("\n");
  for (const { where, step } of stepsOf(doc)) {
    if (typeof step.run === "string" && UNTRUSTED_IN_RUN.test(step.run))
      problems.push(
        `${file}: ${where}: \${{ github.event.* }} or \${{ inputs.* }} inside run: (pass it via env:)`,
      );
    const uses = step.uses;
    if (typeof uses !== "string" || uses.startsWith("./") || uses.startsWith("docker://")) continue;
    if (!PINNED.test(uses)) {
      problems.push(`${file}: ${where}: ${uses} is not pinned to a full commit SHA`);
      continue;
    }
    const line = lines.find((l) => l.includes(uses));
    if (!line || !/#\s*v\d/.test(line))
      problems.push(`${file}: ${where}: ${uses} has no "# vX.Y.Z" version comment`);
  }
  return problems;
}
