// Playbooks: executable YAML steps with timeouts, retries, conditions and fail_fast.
export {
  PlaybookSchema,
  PlaybookStepSchema,
  parsePlaybook,
  type Playbook,
  type PlaybookStep,
} from "./schema.js";
export { loadPlaybook } from "./load.js";
export { parseCondition, evaluateCondition, type Condition } from "./condition.js";
export { runPlaybook, outputTail, type RunPlaybookOptions } from "./run.js";
export type {
  PlaybookResult,
  PolicyDecision,
  StepEvent,
  StepResult,
  StepStatus,
  TextRedactor,
} from "./types.js";
