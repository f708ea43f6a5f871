/**
 * The tests that run automatically after a rollback (a rollback is only done when the
 * tests pass again at the target: exit 1 when they fail). This is the one place the checkpoint code calls the playbook runner.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { Git } from "../git/git.js";
import type { StepResult } from "../playbooks/index.js";
import { type RollbackResult, scratchWorktree } from "./rollback.js";

/** Where a worktree's test playbook is looked for when `--playbook` is not given, in this order. */
export const DEFAULT_PLAYBOOKS = [
  ".handoff/playbook.yml",
  ".handoff/playbook.yaml",
  ".handoff/playbook.json",
];

/** The outcome of the post-rollback tests. */
export interface RollbackTests {
  /** True when every step passed (or nothing ran because no playbook exists). */
  ok: boolean;
  /** True when no playbook was found; `reason` says where Handoff looked. */
  skipped: boolean;
  reason?: string;
  /** The playbook file that ran. */
  playbook?: string;
  /** Folder the tests ran in (the branch's worktree, or a scratch worktree of the new tip). */
  cwd?: string;
  steps: Pick<StepResult, "name" | "status" | "exitCode" | "durationMs" | "outputTail">[];
}

/**
 * Runs the test playbook on the rolled-back branch: in its worktree when it has one, otherwise in a
 * scratch worktree of the new tip under Handoff's state folder, removed afterwards. `playbook` is
 * resolved from the current folder; without it, DEFAULT_PLAYBOOKS are looked for in the tree tested.
 */
export async function testAfterRollback(
  git: Git,
  result: Pick<RollbackResult, "sha" | "worktree">,
  playbook?: string,
  options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Promise<RollbackTests> {
  const scratch = result.worktree ? null : await scratchWorktree(git, result.sha);
  const cwd = result.worktree ?? scratch!;
  try {
    const file = playbook
      ? isAbsolute(playbook)
        ? playbook
        : resolve(playbook)
      : DEFAULT_PLAYBOOKS.map((p) => join(cwd, p)).find((p) => existsSync(p));
    if (!file) {
      return {
        ok: true,
        skipped: true,
        reason: `no test playbook: pass --playbook or add ${DEFAULT_PLAYBOOKS[0]} to the repository`,
        steps: [],
      };
    }
    const { loadPlaybook, runPlaybook } = await import("../playbooks/index.js");
    const loaded = await loadPlaybook(file);
    const run = await runPlaybook(loaded, { cwd, env: options.env, signal: options.signal });
    return {
      ok: run.ok,
      skipped: false,
      playbook: file,
      cwd,
      steps: run.steps.map(({ name, status, exitCode, durationMs, outputTail }) => ({
        name,
        status,
        exitCode,
        durationMs,
        outputTail,
      })),
    };
  } finally {
    if (scratch) {
      await git.worktreeRemove(scratch, { force: true });
      await git.worktreePrune();
    }
  }
}
