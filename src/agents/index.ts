// Agent definitions: agents/<name>/agent.json, steps_registry.json, prompts, config.json.
export * from "./schema.js";
export * from "./steps.js";
export * from "./roles.js";
export * from "./validators.js";
export { checkAgent, loadAgent, stepPromptPath, type AgentCheck, type AgentDefinition } from "./load.js";
export {
  agentNameProblem,
  defaultAgentRoots,
  findAgent,
  listAgents,
  packageAgentsDir,
  repoRoot,
  type AgentEntry,
} from "./find.js";
export { RESERVED_FLAGS } from "./checks.js";
export { parameterFlag } from "./flags.js";
export { renderTemplate, RUNTIME_PLACEHOLDERS } from "./template.js";
