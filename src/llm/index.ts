// The LLM client: one `complete()` that calls an API or hands the call to an agent through the queue.
export { complete, type CompleteRequest, type CompleteContext } from "./client.js";
export { completeAll, runPipeline } from "./pipeline.js";
export {
  resolveMode,
  isTargeted,
  routeTask,
  type ExecMode,
  type ModeDecision,
  type Routing,
} from "./mode.js";
export { providerFromEnv, type LlmProvider, type ProviderRequest } from "./providers/index.js";
export { recordFailover, readFailover } from "./failover.js";
