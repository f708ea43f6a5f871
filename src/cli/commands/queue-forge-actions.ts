/**
 * What `handoff queue-forge` loads when one of its commands runs: the group's one lazy module, so building
 * the command tree (and `--help`) loads none of it.
 */
export { TaskQueue } from "../../llm-tasks/queue.js";
export { loadHandoffConfig } from "../../config/index.js";
export { pullQueue, pushQueue } from "../../flows/llm-tasks/transfer.js";
export { syncTasks } from "../../flows/llm-tasks/sync.js";
export { localSource } from "../../flows/llm-tasks/queue-source.js";
