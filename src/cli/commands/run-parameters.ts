import { Command, CommanderError, Option } from "commander";
import { parameterFlag, type AgentDefinition } from "../../agents/index.js";
import { UsageError } from "../../errors.js";

type Value = string | number | boolean;

/**
 * Agent parameters as flags of `handoff run` (seed 003 `cli`): the flags left over after the run's own
 * options are parsed against the agent's parameters; defaults come from agent.json, then config.json.
 * Unknown flags, bad numbers and missing required parameters are usage errors naming the flag.
 */
export function parseParameters(agent: AgentDefinition, args: readonly string[]): Record<string, Value> {
  const parser = new Command(`handoff run --agent ${agent.name}`)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .allowExcessArguments(false);
  const flags = new Map<string, string>();
  for (const [name, spec] of Object.entries(agent.agent.parameters)) {
    const flag = spec.cli ?? parameterFlag(name);
    flags.set(name, flag);
    const option =
      spec.type === "boolean"
        ? new Option(flag, spec.description ?? name)
        : new Option(`${flag} <value>`, spec.description ?? name);
    // commander names the value after the flag; keep the parameter's own name.
    option.attributeName = () => name;
    parser.addOption(option);
  }
  try {
    parser.parse([...args], { from: "user" });
  } catch (error) {
    const message = error instanceof CommanderError ? error.message.replace(/^error: /, "") : String(error);
    throw new UsageError(`agent ${agent.name}: ${message}`);
  }
  const given = parser.opts<Record<string, string | boolean>>();
  const values: Record<string, Value> = {};
  for (const [name, spec] of Object.entries(agent.agent.parameters)) {
    const raw = given[name] ?? agent.config?.parameters[name] ?? spec.default;
    if (raw === undefined) {
      if (spec.required)
        throw new UsageError(`agent ${agent.name} needs ${flags.get(name)} (${spec.description ?? name})`);
      continue;
    }
    if (spec.type === "number") {
      const n = Number(raw);
      if (!Number.isFinite(n))
        throw new UsageError(`${flags.get(name)} must be a number, not ${JSON.stringify(raw)}`);
      values[name] = n;
    } else if (spec.type === "boolean") values[name] = raw === true || raw === "true";
    else values[name] = String(raw);
  }
  return values;
}
