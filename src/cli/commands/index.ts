import type { Command } from "commander";
import { registerDemo } from "./demo.js";
import { registerLlm } from "./llm.js";
import { registerQueue } from "./queue.js";
import { registerSchema } from "./schema.js";
import { registerThink } from "./think.js";

/**
 * Each command group lives in its own file and registers itself here. A group file imports only
 * commander at top level and loads its core module inside the action (`await import(...)`).
 */
export function registerCommands(program: Command): void {
  registerLlm(program);
  registerQueue(program);
  registerThink(program);
  registerSchema(program);
  registerDemo(program);
}
