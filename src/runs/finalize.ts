/**
 * Finalize (seed 003 `finalizeWorktreeBranch`): after a run is done, merge the issue branch into the base
 * locally (`autoMerge`), push (`push`, through the lease-checked push helper), or ask for a pull request
 * (`createPr`: the run's publish step opens or updates it through the forge, after the run). The role
 * decides what is allowed: only an integrator pushes the base branch.
 */
import type { SecretFinder, SecretFinding } from "../git/secret-scan.js";
import { z } from "zod";
import type { Finalize, RoleCapabilities } from "../agents/index.js";
import { ConflictError } from "../errors.js";
import type { Ledger } from "../evidence/index.js";
import type { Git, Identity } from "../git/git.js";
import { pushBranch } from "../git/push.js";
import type { Job } from "./job.js";
import type { FinalizeOptions } from "./types.js";

/** The pull request a run asks for: what the publish step opens or updates through the forge. */
export const PullRequestRequestSchema = z.object({
  /** The issue branch (PR head). */
  head: z.string(),
  /** The branch the PR targets. */
  base: z.string(),
  title: z.string(),
  body: z.string(),
  issue: z.union([z.number(), z.string()]),
  run_id: z.string(),
  agent: z.string(),
  /** The head commit when the request was written. */
  head_sha: z.string(),
  /** Whether the head branch was pushed to `remote` by this run. */
  pushed: z.boolean(),
  remote: z.string(),
  requested_at: z.string(),
});
export type PullRequestRequest = z.infer<typeof PullRequestRequestSchema>;

export interface FinalizeContext {
  /** The repository (main worktree). */
  git: Git;
  repoTop: string;
  branch: string;
  base: string;
  options: FinalizeOptions;
  capabilities: RoleCapabilities;
  job: Job;
  runId: string;
  agent: string;
  identity: Identity;
  ledger: Ledger;
  redact(text: string): string;
  /** Scans what a push would send for secrets (the run's redactor); a hit refuses the push. */
  secrets: SecretFinder;
}

export interface FinalizeResult {
  merged: boolean;
  pushed: string[];
  /** With `createPr`: the pull request to open or update. */
  pullRequest?: PullRequestRequest;
  notes: string[];
}

/** agent.json's `finalize` with the caller's overrides on top; an override left undefined changes nothing. */
export function finalizeOptions(agent: Finalize, overrides: Partial<Finalize> = {}): FinalizeOptions {
  const prTarget = overrides.prTarget ?? agent.prTarget;
  return {
    autoMerge: overrides.autoMerge ?? agent.autoMerge,
    push: overrides.push ?? agent.push,
    remote: overrides.remote ?? agent.remote,
    createPr: overrides.createPr ?? agent.createPr,
    ...(prTarget !== undefined ? { prTarget } : {}),
  };
}

async function push(ctx: FinalizeContext, branch: string, result: FinalizeResult): Promise<boolean> {
  if ((await ctx.git.tryRemoteUrl(ctx.options.remote)) === null) {
    result.notes.push(`push skipped: no remote named ${ctx.options.remote}`);
    return false;
  }
  let pushed;
  try {
    pushed = await pushBranch(ctx.git, { remote: ctx.options.remote, branch, secrets: ctx.secrets });
  } catch (error) {
    const findings = (error as { findings?: SecretFinding[] }).findings;
    if (findings) await ctx.ledger.append({ kind: "push_refused", branch, findings });
    throw error;
  }
  result.pushed.push(branch);
  await ctx.ledger.append({
    kind: "push",
    branch,
    sha: pushed.sha,
    remote: pushed.remote,
    forced: pushed.leased,
  });
  return true;
}

/** Merges the issue branch into the base where the base is checked out, or fast-forwards an unchecked-out base. */
async function mergeIntoBase(ctx: FinalizeContext): Promise<void> {
  const { git, branch, base } = ctx;
  const holder = (await git.worktreeList()).find((w) => w.branch === base);
  const message = `Merge ${branch} into ${base}\n\nRefs #${ctx.job.issue}\nHandoff-Run: ${ctx.runId}\n`;
  if (holder) {
    const tree = git.at(holder.path);
    if (await tree.isDirty()) {
      throw new ConflictError(`cannot merge ${branch} into ${base}: ${holder.path} has uncommitted changes`);
    }
    await tree.merge(branch, { message, author: ctx.identity });
    return;
  }
  const baseSha = await git.revParse(`refs/heads/${base}`);
  const tip = await git.revParse(`refs/heads/${branch}`);
  if (!(await git.isAncestor(baseSha, tip))) {
    throw new ConflictError(
      `cannot merge ${branch} into ${base}: ${base} is not checked out anywhere and has moved; merge by hand`,
    );
  }
  await git.refs.updateRef(`refs/heads/${base}`, tip, {
    oldValue: baseSha,
    message: `handoff: fast-forward to ${branch}`,
  });
}

export async function finalizeRun(ctx: FinalizeContext): Promise<FinalizeResult> {
  const { options, capabilities } = ctx;
  const result: FinalizeResult = { merged: false, pushed: [], notes: [] };
  if (options.createPr) {
    const pushed = options.push && capabilities.push ? await push(ctx, ctx.branch, result) : false;
    if (options.push && !capabilities.push) result.notes.push("push skipped: the role may not push");
    result.pullRequest = await pullRequestRequest(ctx, pushed);
    return result;
  }
  if (options.autoMerge) {
    await mergeIntoBase(ctx);
    result.merged = true;
    if (options.push) {
      if (capabilities.pushToBase) await push(ctx, ctx.base, result);
      else if (capabilities.push) {
        await push(ctx, ctx.branch, result);
        result.notes.push(`only an integrator pushes ${ctx.base}; pushed ${ctx.branch} instead`);
      } else result.notes.push("push skipped: the role may not push");
    }
    return result;
  }
  if (options.push) {
    if (capabilities.push) await push(ctx, ctx.branch, result);
    else result.notes.push("push skipped: the role may not push");
  }
  return result;
}

async function pullRequestRequest(ctx: FinalizeContext, pushed: boolean): Promise<PullRequestRequest> {
  return PullRequestRequestSchema.parse({
    head: ctx.branch,
    base: ctx.options.prTarget ?? ctx.base,
    title: ctx.redact(`${ctx.job.title} (#${ctx.job.issue})`),
    body: ctx.redact(`Closes #${ctx.job.issue}\n\nWork by the ${ctx.agent} agent, run ${ctx.runId}.`),
    issue: ctx.job.issue,
    run_id: ctx.runId,
    agent: ctx.agent,
    head_sha: await ctx.git.revParse(`refs/heads/${ctx.branch}`),
    pushed,
    remote: ctx.options.remote,
    requested_at: new Date().toISOString(),
  });
}
