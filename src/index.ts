// The library entry: what a TypeScript pipeline imports from "handoff".
export * from "./errors.js";
export * from "./llm-tasks/index.js";
export * from "./llm/index.js";
export { SCHEMA_KINDS, jsonSchemaOf, type SchemaKind } from "./schemas.js";
// The rest of the core, namespaced: `import { policy, redaction } from "handoff"`.
export * as agents from "./agents/index.js";
export * as checkpoints from "./checkpoints/index.js";
export * as evidence from "./evidence/index.js";
export * as playbooks from "./playbooks/index.js";
export * as policy from "./policy/index.js";
export * as redaction from "./redaction/index.js";
export * as runtimes from "./runtimes/index.js";
export * as worktrees from "./worktrees/index.js";
export { runJob } from "./runs/loop.js";
