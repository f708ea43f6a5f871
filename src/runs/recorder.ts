/**
 * What a run leaves behind in git and in its evidence folder: the agent's commits (agent identity,
 * message referencing the issue), checkpoint tags, and one step log per iteration
 * (`step_NNN.json`). The loop calls it after each iteration and once more in its wrap-up.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RoleCapabilities } from "../agents/index.js";
import { createCheckpoint } from "../checkpoints/index.js";
import { PolicyDenied } from "../errors.js";
import type { EndReason, Ledger } from "../evidence/index.js";
import type { Git, Identity } from "../git/git.js";
import { protectedHits } from "../policy/protected.js";
import type { Redactor } from "../redaction/index.js";
import type { IterationResult } from "./iteration.js";
import type { Job } from "./job.js";

/** Who the agent's commits are attributed to: the agent, through Handoff. */
export function agentIdentity(agent: string): Identity {
  return { name: `${agent} (Handoff agent)`, email: `handoff+${agent}@users.noreply.github.com` };
}

export interface RecorderOptions {
  agent: string;
  job: Job;
  issueKey: string;
  runId: string;
  capabilities: RoleCapabilities;
  ledger: Ledger;
  redactor: Redactor;
  evidenceDir: string;
}

export class RunRecorder {
  readonly commits: string[] = [];
  lastCheckpoint: string | undefined;
  private lastCheckpointSha: string | undefined;
  private worktree: Git | undefined;
  private branch: string | undefined;
  private readonly steps = new Map<number, Record<string, unknown>>();
  private protectedPaths: readonly string[] = [];

  constructor(private readonly o: RecorderOptions) {}

  /** The worktree and branch the run works on, once prepared, and the policy's protected paths. */
  attach(worktree: Git, branch: string, protectedPaths: readonly string[] = []): void {
    this.worktree = worktree;
    this.branch = branch;
    this.protectedPaths = protectedPaths;
  }

  /**
   * Tags HEAD as the issue's next checkpoint. One checkpoint per commit: an unchanged tip is tagged again
   * only to record how the run ended.
   */
  async checkpoint(iteration: number, endReason?: EndReason): Promise<void> {
    if (!this.worktree || !this.branch) return;
    const head = await this.worktree.revParse("HEAD");
    if (head === this.lastCheckpointSha && endReason === undefined) return;
    const cp = await createCheckpoint(this.worktree, {
      issue: this.o.issueKey,
      branch: this.branch,
      runId: this.o.runId,
      agent: this.o.agent,
      iteration,
      ...(endReason ? { endReason } : {}),
      kind: "auto",
    });
    this.lastCheckpoint = cp.tag;
    this.lastCheckpointSha = cp.sha;
    await this.o.ledger.append({ kind: "checkpoint", tag: cp.tag, sha: cp.sha });
  }

  /** Commits everything the agent changed, when its role may commit; `wip` marks a wrap-up commit. */
  async commit(iteration: number, wip: boolean): Promise<void> {
    const tree = this.worktree;
    if (!tree || !this.o.capabilities.commit || !(await tree.isDirty())) return;
    const { agent, job, runId } = this.o;
    // The diff is checked before it becomes a commit on the branch: a change to a protected path
    // (workflows, Handoff's config, agent definitions…) ends the run, and the change is moved to a
    // quarantine ref that no push names, so a maintainer can still look at it.
    const changed = (await tree.status()).flatMap((e) => (e.from ? [e.path, e.from] : [e.path]));
    const hits = protectedHits(changed, this.protectedPaths);
    await tree.add();
    const subject = wip
      ? `WIP: ${agent} work in progress on #${job.issue} (iteration ${iteration})`
      : `${agent}: iteration ${iteration} on #${job.issue}`;
    const message = this.o.redactor.redact(
      `${subject}\n\n${job.title}\n\nRefs #${job.issue}\nHandoff-Run: ${runId}\nHandoff-Agent: ${agent}\n`,
    );
    const sha = await tree.commit(message, { author: agentIdentity(agent) });
    if (hits.length > 0) return this.quarantine(sha, iteration, hits);
    this.commits.push(sha);
    const stat = await tree.diffStat(`${sha}^`, sha).catch(() => undefined);
    await this.o.ledger.append({
      kind: "commit",
      sha,
      message: subject,
      ...(stat ? { files_changed: stat.files, insertions: stat.insertions, deletions: stat.deletions } : {}),
    });
  }

  /** Keeps a commit that touched protected paths on a quarantine ref, takes it off the branch, and denies. */
  private async quarantine(
    sha: string,
    iteration: number,
    hits: { path: string; glob: string }[],
  ): Promise<never> {
    const tree = this.worktree!;
    const ref = `refs/handoff/quarantine/${this.o.issueKey}/${this.o.runId}-${iteration}`;
    await tree.refs.updateRef(ref, sha, { message: "handoff: change touching protected paths" });
    await tree.reset(`${sha}^`, "hard");
    await tree.clean();
    const files = hits.map((h) => `${h.path} (protected by ${h.glob})`).join(", ");
    await this.o.ledger.append({ kind: "quarantine", ref, sha, files: hits.map((h) => h.path) });
    throw new PolicyDenied(
      `the change touches protected paths: ${files}; it was not committed on the branch and is kept on ${ref}, never pushed`,
      "protected-path",
    );
  }

  /** Starts (or extends) the step log of an iteration. */
  step(iteration: number, fields: Record<string, unknown>): void {
    this.steps.set(iteration, { ...this.steps.get(iteration), ...fields });
  }

  /** Starts the step log of an iteration with what the agent and the playbook did in it. */
  iteration(iteration: number, stepId: string | undefined, result: IterationResult): void {
    const report = result.report;
    this.step(iteration, {
      step: iteration,
      ...(stepId ? { step_id: stepId } : {}),
      agent: report
        ? {
            exit_code: report.exitCode,
            turns: report.turns,
            tool_calls: report.toolCalls.map((c) => ({ name: c.name, is_error: c.isError ?? false })),
            permission_denials: report.permissionDenials.length,
            input_tokens: report.inputTokens,
            output_tokens: report.outputTokens,
            cost_usd: report.costUsd,
            metrics: report.metrics,
          }
        : null,
      playbook:
        result.playbook?.steps.map((st) => ({ name: st.name, status: st.status, exit_code: st.exitCode })) ??
        [],
      denied: result.denied,
    });
  }

  /** Writes `step_NNN.json` (redacted) with the phase the iteration ended in. */
  async writeStep(iteration: number, phase: string): Promise<void> {
    const log = this.steps.get(iteration);
    if (!log) return;
    const file = join(this.o.evidenceDir, `step_${String(iteration).padStart(3, "0")}.json`);
    const record = this.o.redactor.redactValue({
      ...log,
      phase,
      checkpoint: this.lastCheckpoint,
      commits: [...this.commits],
    });
    await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  }
}
