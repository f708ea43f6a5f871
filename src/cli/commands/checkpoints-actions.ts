/**
 * What `handoff checkpoints` loads when one of its commands runs: the group's one lazy module, so building
 * the command tree (and `--help`) loads none of it.
 */
export { Git } from "../../git/git.js";
export { createCheckpoint, listCheckpoints } from "../../checkpoints/checkpoints.js";
export { rollbackAndTest } from "../../checkpoints/verify.js";
