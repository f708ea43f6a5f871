// The one file of src/playbooks that touches the policy module (branch `policy`), so the playbook
// runner depends on the policy only through `decide` and `stopOnDeny` of the shared contract.
import { decide, stopOnDeny, type Policy } from "../policy/index.js";
import type { PolicyDecision } from "./types.js";

export type { Policy };

/** Asks the policy whether a step's command may run in `cwd`. A policy crash denies (fail closed). */
export async function checkCommand(
  policy: Policy,
  command: string | readonly string[],
  cwd: string,
  root: string,
): Promise<PolicyDecision> {
  try {
    return await decide(policy, command, { cwd, root });
  } catch (error) {
    const shown = typeof command === "string" ? command : command.join(" ");
    return {
      allowed: false,
      rule: "policy-error",
      reason: `policy check failed: ${(error as Error).message}`,
      command: shown,
    };
  }
}

/** Whether a denied step stops the playbook (`stop_on_deny`, default true). */
export function stopsOnDeny(policy: Policy): boolean {
  return stopOnDeny(policy);
}
