// Execution policy: which shell commands an agent or a playbook may run, decided on the parsed command rather than its text.
export { ArgvRuleSchema, PolicySchema, type ArgvRule, type Policy, type PolicyInput } from "./schema.js";
export type { DecideContext, Decision } from "./types.js";
export { loadPolicy, parsePolicy, parsePolicyText } from "./load.js";
export { decide, decideSync, MAX_COMMAND_LENGTH } from "./decide.js";
export { loadShellParser } from "./shell.js";
export { startPolicyServer, type PolicyServer, type PolicyServerOptions } from "./server.js";
import type { Policy } from "./schema.js";

/** Whether a run stops at the first denied command (`stop_on_deny`, default true). */
export function stopOnDeny(policy: Policy): boolean {
  return policy.stop_on_deny;
}
