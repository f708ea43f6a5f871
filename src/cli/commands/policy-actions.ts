/**
 * What `handoff policy` loads when one of its commands runs: the group's one lazy module, so building
 * the command tree (and `--help`) loads none of it.
 */
export { decide, loadPolicy, startPolicyServer } from "../../policy/index.js";
export { runHookMain } from "../../policy/hook-main.js";
export { jsonSchemaOf } from "../../schemas.js";
