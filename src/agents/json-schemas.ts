import { z } from "zod";
import { AgentSchema } from "./schema.js";
import { StepsRegistrySchema } from "./steps.js";

/** The JSON Schema of agent.json for editors and `handoff agent schema`, generated from the zod schema. */
export function agentJsonSchema(): unknown {
  return z.toJSONSchema(AgentSchema, { io: "input", target: "draft-2020-12" });
}

/** The JSON Schema of steps_registry.json. */
export function stepsRegistryJsonSchema(): unknown {
  return z.toJSONSchema(StepsRegistrySchema, { io: "input", target: "draft-2020-12" });
}
