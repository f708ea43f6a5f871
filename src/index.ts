// The library entry: what a TypeScript pipeline imports from "handoff".
export * from "./errors.js";
