export * from "./naming.js";
export * from "./prepare.js";
