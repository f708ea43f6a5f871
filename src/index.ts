// The library entry: what a TypeScript pipeline imports from "handoff".
export * from "./errors.js";
export * from "./llm-tasks/index.js";
export * from "./llm/index.js";
export { SCHEMA_KINDS, jsonSchemaOf, type SchemaKind } from "./schemas.js";
