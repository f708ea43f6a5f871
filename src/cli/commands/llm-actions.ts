/**
 * What `handoff llm` loads when one of its commands runs: the group's one lazy module, so building
 * the command tree (and `--help`) loads none of it.
 */
export { complete } from "../../llm/client.js";
export { taskId } from "../../llm-tasks/ids.js";
