// Evidence of a run: the JSONL ledger, the phase summary (JSON + one-line TXT) and the Markdown comment.
export * from "./types.js";
