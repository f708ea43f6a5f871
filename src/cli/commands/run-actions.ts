/**
 * What `handoff run` loads when one of its commands runs: the group's one lazy module, so building
 * the command tree (and `--help`) loads none of it.
 */
export { defaultAgentRoots, findAgent } from "../../agents/index.js";
export { parseParameters } from "./run-parameters.js";
export { resolveRunOptions } from "../../runs/request.js";
export { cleanrunMode, runMode, testMode } from "../../runs/modes.js";
export { runMetrics } from "../../runs/outcome.js";
export { Git } from "../../git/git.js";
