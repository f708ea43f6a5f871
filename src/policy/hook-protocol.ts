/**
 * What the policy hook says to the agent CLI, and what the resident policy process says to the hook.
 * This module imports nothing, so the fastest start-up paths (build/policy-hook.js, the CLI's own fail-closed
 * branch) can use it without loading anything that could itself be what failed.
 */

/** Sent by the resident policy process when the hook has nothing to say; an empty reply would look like a crash. */
export const NO_OPINION = '{"handoff":"no-opinion"}';

/** The JSON Claude Code reads from a PreToolUse hook's stdout. */
export function hookOutput(decision: "allow" | "deny", reason: string): string {
  return JSON.stringify({
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: decision,
      permissionDecisionReason: reason,
    },
  });
}

/** The deny answer of a hook that could not decide: it fails closed, saying why. */
export function failedClosed(why: string): string {
  return hookOutput("deny", `handoff policy hook failed closed: ${why}`);
}
