// The LLM-task queue: ids, file formats, the queue folder, claims, runbooks.
export * from "./ids.js";
export { canonicalize } from "./jcs.js";
export * from "./schemas.js";
export * from "./queue-dir.js";
export * from "./queue.js";
export * from "./claims.js";
export { listTasks, type TaskSummary } from "./listing.js";
export * from "./maintenance.js";
export * from "./runbooks.js";
export { checkContent, assertContent, wantsJson } from "./response-format.js";
export * from "./result.js";
