// LLM tasks ↔ issues: the flows every face (CLI, app, Action) runs over the forge port.
export * from "./command.js";
export * from "./complete.js";
export * from "./issue.js";
export * from "./queue-source.js";
export * from "./sync.js";
export * from "./transfer.js";
export * from "./events.js";
