// Evidence of a run: the JSONL ledger, the phase summary (JSON + one-line TXT) and the Markdown comment.
export * from "./types.js";
export * from "./ledger.js";
export * from "./summary.js";
export * from "./comment.js";
