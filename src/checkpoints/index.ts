export * from "./message.js";
export * from "./checkpoints.js";
export * from "./rollback.js";
