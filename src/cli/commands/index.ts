import type { Command } from "commander";
import { registerAgent } from "./agent.js";
import { registerCheckpoints } from "./checkpoints.js";
import { registerDemo } from "./demo.js";
import { registerEvidence } from "./evidence.js";
import { registerIssue } from "./issue.js";
import { registerLlm } from "./llm.js";
import { registerPlaybook } from "./playbook.js";
import { registerPolicy } from "./policy.js";
import { registerQueue } from "./queue.js";
import { registerRedact } from "./redact.js";
import { registerRun } from "./run.js";
import { registerSchema } from "./schema.js";
import { registerTasks } from "./tasks.js";
import { registerThink } from "./think.js";

/**
 * Each command group lives in its own file and registers itself here. A group file imports commander
 * and the CLI's small helpers at top level, and loads its one lazy module inside the actions
 * (`await import("./<group>-actions.js")`), so building the tree and `--help` load no core module.
 */
export function registerCommands(program: Command): void {
  registerLlm(program);
  registerQueue(program);
  registerThink(program);
  registerAgent(program);
  registerPolicy(program);
  registerPlaybook(program);
  registerRedact(program);
  registerRun(program);
  registerIssue(program);
  registerTasks(program);
  registerEvidence(program);
  registerCheckpoints(program);
  registerSchema(program);
  registerDemo(program);
}
