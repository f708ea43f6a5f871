import { z } from "zod";
import type { ArgvRule } from "../policy/schema.js";

/**
 * The part an agent plays in a job (planner, coder, tester…). The role decides what the run may do with git,
 * whatever the agent's prompt says: the runner reads {@link roleCapabilities} and the policy rules below.
 */
export const RoleSchema = z
  .enum(["planner", "coder", "tester", "reviewer", "integrator", "security"])
  .describe("The agent's role: planner, coder, tester, reviewer, integrator or security.");
export type Role = z.infer<typeof RoleSchema>;
export const ROLES = RoleSchema.options;

/** What a role may do. The runner enforces these; agent.json cannot widen them. */
export interface RoleCapabilities {
  /** May create commits in its worktree. */
  commit: boolean;
  /** May push its own issue branch (and so open or update a PR). */
  push: boolean;
  /** May merge into and push the base branch (only the integrator). */
  pushToBase: boolean;
  /** Argv rules the runner adds to the policy's `deny` list for this role's agent tool calls. */
  deny: readonly ArgvRule[];
}

const GIT_COMMIT: ArgvRule = { program: "git", subcommand: "commit" };
const GIT_PUSH: ArgvRule = { program: "git", subcommand: "push" };
const GIT_MERGE: ArgvRule = { program: "git", subcommand: "merge" };
const GIT_REBASE: ArgvRule = { program: "git", subcommand: "rebase" };
const GIT_RESET: ArgvRule = { program: "git", subcommand: "reset" };

// The runner commits, checkpoints and pushes on the agent's behalf according to these flags, so even a
// coder does not push from inside its tool calls: every push goes through Handoff's lease-checked push.
const CAPABILITIES: Record<Role, RoleCapabilities> = {
  planner: {
    commit: false,
    push: false,
    pushToBase: false,
    deny: [GIT_COMMIT, GIT_PUSH, GIT_MERGE, GIT_RESET],
  },
  coder: { commit: true, push: true, pushToBase: false, deny: [GIT_PUSH, GIT_MERGE, GIT_REBASE] },
  tester: {
    commit: false,
    push: false,
    pushToBase: false,
    deny: [GIT_COMMIT, GIT_PUSH, GIT_MERGE, GIT_RESET],
  },
  reviewer: {
    commit: false,
    push: false,
    pushToBase: false,
    deny: [GIT_COMMIT, GIT_PUSH, GIT_MERGE, GIT_RESET],
  },
  integrator: { commit: true, push: true, pushToBase: true, deny: [GIT_PUSH] },
  security: {
    commit: false,
    push: false,
    pushToBase: false,
    deny: [GIT_COMMIT, GIT_PUSH, GIT_MERGE, GIT_RESET],
  },
};

/** The capabilities of a role: a tester may not commit; only an integrator pushes to the base branch. */
export function roleCapabilities(role: Role): RoleCapabilities {
  return CAPABILITIES[role];
}
