/**
 * The `parameters` input: the agent's parameters as a YAML or JSON mapping. They are checked exactly
 * as `handoff run`'s flags are (types, required ones, unknown names), by turning them into those flags.
 */
import type { AgentDefinition } from "../agents/index.js";
import { parameterFlag } from "../agents/flags.js";
import { parseParameters } from "../cli/commands/run-parameters.js";
import { UsageError } from "../errors.js";
import { parseYamlText } from "../util/validate.js";

type Value = string | number | boolean;

export function parseAgentParameters(
  agent: AgentDefinition,
  text: string | undefined,
): Record<string, Value> {
  const data = text ? parseYamlText(text, "input `parameters`") : {};
  if (data === null || typeof data !== "object" || Array.isArray(data))
    throw new UsageError("input `parameters` must be a mapping of parameter names to values");
  const specs = agent.agent.parameters;
  const args: string[] = [];
  for (const [name, value] of Object.entries(data as Record<string, unknown>)) {
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs);
      throw new UsageError(
        `input \`parameters\`: agent ${agent.name} has no parameter ${JSON.stringify(name)}` +
          (known.length ? ` (it has ${known.join(", ")})` : " (it takes none)"),
      );
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
      throw new UsageError(`input \`parameters\`: ${name} must be a string, number or boolean`);
    const flag = spec.cli ?? parameterFlag(name);
    if (spec.type === "boolean") {
      if (typeof value !== "boolean")
        throw new UsageError(`input \`parameters\`: ${name} must be true or false`);
      // A boolean defaulting to true is turned off with --no-<flag>; one defaulting to false is turned on with <flag>.
      const defaultTrue = (agent.config?.parameters?.[name] ?? spec.default) === true;
      if (value && !defaultTrue) args.push(flag);
      if (!value && defaultTrue) args.push(`--no-${flag.slice(2)}`);
    } else args.push(flag, String(value));
  }
  return parseParameters(agent, args);
}
