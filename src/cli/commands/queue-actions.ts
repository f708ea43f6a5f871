/**
 * What `handoff queue` loads when one of its commands runs: the group's one lazy module, so building
 * the command tree (and `--help`) loads none of it.
 */
export { TaskQueue, statusOf } from "../../llm-tasks/queue.js";
export { listTasks } from "../../llm-tasks/listing.js";
export { renderPrompt } from "../../llm-tasks/prompt.js";
export { claimTask, completeTask, releaseTask, requireAgentName } from "../../llm-tasks/claims.js";
export { displayPath } from "../../llm-tasks/queue-dir.js";
export { gcQueue, validateQueue } from "../../llm-tasks/maintenance.js";
