/**
 * What `handoff evidence` loads when one of its commands runs: the group's one lazy module, so building
 * the command tree (and `--help`) loads none of it.
 */
export { Git } from "../../git/git.js";
export { HandoffState } from "../../state/handoff-state.js";
export { buildRunReport } from "../../runs/report.js";
export { formatDuration, renderEvidenceComment } from "../../evidence/index.js";
