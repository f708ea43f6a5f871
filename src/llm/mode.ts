import { ConfigError } from "../errors.js";

/** How an LLM call is carried out. `think` and `agent` both write a pending task and stop. */
export type ExecMode = "api" | "think" | "agent";

/** The mode in force and the variable that chose it (for messages). */
export interface ModeDecision {
  mode: ExecMode;
  source: string;
}

const SLOTS: Record<string, ExecMode> = { "0": "api", "3": "think", "4": "agent" };
const COMPAT_MODES: readonly ExecMode[] = ["api", "agent", "think"];

function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * The execution mode: `LLM_EXEC_SLOT` 3 (default, THINK) or 4 (AGENT) write a pending task
 * and stop; 0 calls the API. `LLM_MODE` is the old compatibility switch: it is refused while lockdown is on
 * (the default; `HANDOFF_LOCKDOWN=0` turns it off) unless `HANDOFF_EMERGENCY_OVERRIDE=1`.
 */
export function resolveMode(env: NodeJS.ProcessEnv = process.env): ModeDecision {
  const compat = setting(env, "LLM_MODE");
  if (compat !== undefined) {
    if (!COMPAT_MODES.includes(compat as ExecMode)) {
      throw new ConfigError(
        `LLM_MODE=${compat}: expected api, agent or think (better: LLM_EXEC_SLOT=0|3|4)`,
        "LLM_MODE",
      );
    }
    const lockdown = setting(env, "HANDOFF_LOCKDOWN") !== "0";
    if (lockdown && setting(env, "HANDOFF_EMERGENCY_OVERRIDE") !== "1") {
      throw new ConfigError(
        `LLM_MODE=${compat} is refused while lockdown is on: use LLM_EXEC_SLOT (0 = API, 3 = THINK, 4 = AGENT), ` +
          "or set HANDOFF_EMERGENCY_OVERRIDE=1 in an emergency",
        "LLM_MODE",
      );
    }
    return { mode: compat as ExecMode, source: `LLM_MODE=${compat} (emergency override)` };
  }
  const slot = setting(env, "LLM_EXEC_SLOT");
  if (slot === undefined) return { mode: "think", source: "LLM_EXEC_SLOT unset (default 3, THINK)" };
  const mode = SLOTS[slot];
  if (!mode) {
    throw new ConfigError(`LLM_EXEC_SLOT=${slot}: expected 0 (API), 3 (THINK) or 4 (AGENT)`, "LLM_EXEC_SLOT");
  }
  return { mode, source: `LLM_EXEC_SLOT=${slot}` };
}

function list(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Whether a task is intercepted (turned into a pending task) in THINK/AGENT mode. Block lists win;
 * when an allow list (`LLM_AGENT_TASKS`, `LLM_AGENT_TASK_PREFIXES`) is set, only tasks on it are
 * intercepted; with no lists every task is. Tasks not intercepted go to the API.
 */
export function isTargeted(task: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (list(env, "LLM_AGENT_EXCLUDE_TASKS").includes(task)) return false;
  if (list(env, "LLM_AGENT_EXCLUDE_PREFIXES").some((p) => task.startsWith(p))) return false;
  const exact = list(env, "LLM_AGENT_TASKS");
  const prefixes = list(env, "LLM_AGENT_TASK_PREFIXES");
  if (exact.length === 0 && prefixes.length === 0) return true;
  return exact.includes(task) || prefixes.some((p) => task.startsWith(p));
}

/** The final routing of one call: through the queue, or to the API. */
export interface Routing {
  mode: ExecMode;
  intercept: boolean;
  /** Why, in words (e.g. "LLM_EXEC_SLOT=3; not in LLM_AGENT_TASKS"). */
  reason: string;
}

export function routeTask(task: string, env: NodeJS.ProcessEnv = process.env): Routing {
  const { mode, source } = resolveMode(env);
  if (mode === "api") return { mode, intercept: false, reason: source };
  const targeted = isTargeted(task, env);
  return {
    mode,
    intercept: targeted,
    reason: targeted
      ? source
      : `${source}; task ${task} is not targeted by the LLM_AGENT_* lists, so it goes to the API`,
  };
}
