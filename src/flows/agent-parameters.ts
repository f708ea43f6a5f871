/**
 * An agent's parameters for a run on an issue. They come from two places, the later winning per name:
 * the issue body's first fenced block with the info string `handoff` (a YAML or JSON mapping, e.g.
 * `script: npm run gen` for the shell agent), honoured only when the issue's author holds the
 * permission that starts runs — the body is the author's to edit, so nobody else's script runs by
 * way of someone else's label; then the face's own (the Action's `parameters` input). Both are checked
 * exactly as `handoff run`'s flags are (types, required ones, unknown names), by turning them into
 * those flags.
 */
import type { AgentDefinition } from "../agents/index.js";
import { parameterFlag } from "../agents/flags.js";
import { parseParameters } from "../cli/commands/run-parameters.js";
import { UsageError } from "../errors.js";
import type { Forge, Permission } from "../forge/types.js";
import { parseYamlText } from "../util/validate.js";
import { permissionRefusal } from "./agent-runs/sender.js";
import { firstFencedBlock } from "./llm-tasks/command.js";

type Value = string | number | boolean;

/** One source of parameter values: YAML or JSON text, and the name errors give it. */
export interface ParameterSource {
  text: string;
  /** How errors name it: "input `parameters`", "issue #7's ```handoff block". */
  source: string;
}

/** The info string of the issue-body block that holds an agent's parameters. */
export const PARAMETERS_BLOCK = "handoff";

/** The `handoff` block of an issue body as a parameter source, or null when it has none. */
export function issueParameterBlock(issue: number, body: string): ParameterSource | null {
  const text = firstFencedBlock(body, PARAMETERS_BLOCK);
  return text === null ? null : { text, source: `issue #${issue}'s \`\`\`${PARAMETERS_BLOCK} block` };
}

function mapping(source: ParameterSource): Record<string, unknown> {
  const data = source.text.trim() ? parseYamlText(source.text, source.source) : {};
  if (data === null || typeof data !== "object" || Array.isArray(data))
    throw new UsageError(`${source.source} must be a mapping of parameter names to values`);
  return data as Record<string, unknown>;
}

/** The agent's parameters from the sources in order (later ones win per name), checked as flags. */
export function parseAgentParameters(
  agent: AgentDefinition,
  ...sources: (ParameterSource | string | undefined | null)[]
): Record<string, Value> {
  const where = new Map<string, string>();
  const values: Record<string, unknown> = {};
  for (const given of sources) {
    if (given === undefined || given === null) continue;
    const source = typeof given === "string" ? { text: given, source: "input `parameters`" } : given;
    for (const [name, value] of Object.entries(mapping(source))) {
      values[name] = value;
      where.set(name, source.source);
    }
  }
  const specs = agent.agent.parameters;
  const args: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const source = where.get(name) ?? "parameters";
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs);
      throw new UsageError(
        `${source}: agent ${agent.name} has no parameter ${JSON.stringify(name)}` +
          (known.length ? ` (it has ${known.join(", ")})` : " (it takes none)"),
      );
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
      throw new UsageError(`${source}: ${name} must be a string, number or boolean`);
    const flag = spec.cli ?? parameterFlag(name);
    if (spec.type === "boolean") {
      if (typeof value !== "boolean") throw new UsageError(`${source}: ${name} must be true or false`);
      // A boolean defaulting to true is turned off with --no-<flag>; one defaulting to false is turned on with <flag>.
      const defaultTrue = (agent.config?.parameters?.[name] ?? spec.default) === true;
      if (value && !defaultTrue) args.push(flag);
      if (!value && defaultTrue) args.push(`--no-${flag.slice(2)}`);
    } else args.push(flag, String(value));
  }
  return parseParameters(agent, args);
}

/**
 * The parameters of a run on `issue`: its body's `handoff` block (when its author holds `permission`;
 * otherwise a UsageError says why it is not used), then `extra` (the face's own) on top.
 */
export async function issueRunParameters(
  forge: Forge,
  agent: AgentDefinition,
  issue: { number: number; body: string },
  permission: Permission,
  extra?: ParameterSource | string,
): Promise<Record<string, Value>> {
  const block = issueParameterBlock(issue.number, issue.body);
  if (block) {
    // The body, not who filed it, is at hand; the author is read only when there is a block.
    const { author } = await forge.getIssue(issue.number);
    const refusal = await permissionRefusal(forge, author, permission);
    if (refusal)
      throw new UsageError(
        `${block.source} is not used: it is written by its author, and ${refusal.replace(/ to do that/, " to set an agent's parameters")}`,
      );
  }
  return parseAgentParameters(agent, block, extra);
}
