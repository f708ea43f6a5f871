import type { Command } from "commander";
import { registerAgent } from "./agent.js";
import { registerPlaybook } from "./playbook.js";
import { registerPolicy } from "./policy.js";
import { registerRedact } from "./redact.js";

/**
 * Each command group lives in its own file and registers itself here. A group file imports only
 * commander at top level and loads its core module inside the action (`await import(...)`).
 */
export function registerCommands(program: Command): void {
  registerAgent(program);
  registerPlaybook(program);
  registerPolicy(program);
  registerRedact(program);
}
