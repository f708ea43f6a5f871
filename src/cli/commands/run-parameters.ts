import { Command, CommanderError } from "commander";
import type { AgentDefinition } from "../../agents/index.js";
import { UsageError } from "../../errors.js";
import { parameterOptions, parameterValues } from "./agent-parameters.js";

type Value = string | number | boolean;

/**
 * Agent parameters as flags of `handoff run` (each parameter's `cli` flag). The agent is known only after `--agent`
 * is parsed, so the flags `handoff run` did not know are parsed a second time against the agent's
 * parameter options (defaults from agent.json, then config.json; required ones mandatory). An unknown
 * flag, a bad number or a missing required parameter is a usage error naming the flag.
 */
export function parseParameters(agent: AgentDefinition, args: readonly string[]): Record<string, Value> {
  const parser = new Command(`handoff run --agent ${agent.name}`)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .allowExcessArguments(false);
  for (const option of parameterOptions(agent)) parser.addOption(option);
  try {
    parser.parse([...args], { from: "user" });
  } catch (error) {
    const message = error instanceof CommanderError ? error.message.replace(/^error: /, "") : String(error);
    throw new UsageError(`agent ${agent.name}: ${message}`);
  }
  return parameterValues(agent, parser.opts());
}
