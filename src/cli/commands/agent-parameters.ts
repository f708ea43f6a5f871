import { InvalidArgumentError, Option } from "commander";
import { parameterFlag } from "../../agents/flags.js";
import type { AgentDefinition } from "../../agents/load.js";

type Value = string | number | boolean;

function parseNumber(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value))
    throw new InvalidArgumentError(`"${raw}" is not a number.`);
  return value;
}

/**
 * Turns an agent's `parameters` into commander Options for `handoff run` (each parameter's `cli` flag). A value from
 * the agent's config.json replaces the agent.json default; a required parameter becomes a mandatory
 * option; a boolean whose default is true becomes `--no-<flag>`.
 */
export function parameterOptions(definition: AgentDefinition): Option[] {
  const overrides = definition.config?.parameters ?? {};
  return Object.entries(definition.agent.parameters).map(([name, spec]) => {
    const flag = spec.cli ?? parameterFlag(name);
    const fallback: Value | undefined = Object.hasOwn(overrides, name) ? overrides[name] : spec.default;
    const description = spec.description ?? `agent parameter ${name}`;
    let option: Option;
    if (spec.type === "boolean") {
      option =
        fallback === true ? new Option(`--no-${flag.slice(2)}`, description) : new Option(flag, description);
      if (fallback !== true) option.default(false);
    } else {
      option = new Option(`${flag} <${spec.type === "number" ? "number" : "value"}>`, description);
      if (spec.type === "number") option.argParser(parseNumber);
      if (fallback !== undefined) option.default(fallback);
    }
    if (spec.required) option.makeOptionMandatory();
    return option;
  });
}

/**
 * Reads the parsed values of {@link parameterOptions} back into a `{ parameterName: value }` map for the
 * run (the placeholders of a command runtime and the prompt).
 */
export function parameterValues(
  definition: AgentDefinition,
  opts: Record<string, unknown>,
): Record<string, Value> {
  const options = parameterOptions(definition);
  const names = Object.keys(definition.agent.parameters);
  const values: Record<string, Value> = {};
  options.forEach((option, i) => {
    const value = opts[option.attributeName()];
    const name = names[i];
    if (
      name !== undefined &&
      (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    ) {
      values[name] = value;
    }
  });
  return values;
}
