import { basename } from "node:path";
import { insideProblem } from "./files.js";
import { parameterFlag } from "./flags.js";
import { jsonSchemaProblem } from "./json-schema.js";
import { field, isRecord, type Problems } from "./problems.js";
import { RoleSchema, roleCapabilities } from "./roles.js";
import { CLI_FLAG, ENV_NAME } from "./schema.js";
import { RUNTIME_PLACEHOLDERS } from "./template.js";
import { isKnownValidator, KNOWN_VALIDATORS, VALIDATOR_NAMES } from "./validators.js";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

/**
 * Cross-field checks of agent.json. They read the raw JSON (not the zod output) so that they still run
 * when some unrelated field is malformed: validation reports every problem in one go.
 */

type Path = readonly PropertyKey[];

/** The config keys each completion type requires; the other types' keys are mistakes. */
const REQUIRED_BY_TYPE: Record<string, readonly string[]> = {
  externalState: ["validators"],
  iterationBudget: ["maxIterations"],
  checkBudget: ["maxChecks"],
  keywordSignal: ["completionKeyword"],
  structuredSignal: ["outputSchema"],
  stepMachine: [],
  composite: ["completionConditions", "mode"],
  custom: ["completionHandler"],
};
const ALLOWED_EXTRA: Record<string, readonly string[]> = {
  structuredSignal: ["responseFormat"],
  stepMachine: ["initialStep"],
};
/** A hard cap on the loop is welcome with every type. */
const UNIVERSAL = ["maxIterations"];

/**
 * Flags `handoff run` keeps for itself (the finalize overrides and the runner's own options).
 * `--max-iterations` is not here: an agent may declare it as a parameter, which then feeds the budget.
 * A test checks this list against the options `handoff run` really defines.
 */
export const RESERVED_FLAGS = new Set([
  "--help",
  "--version",
  "--json",
  "--agent",
  "--issue",
  "--job-file",
  "--repo",
  "--forge",
  "--as",
  "--base",
  "--base-branch",
  "--summary-file",
  "--max-turns",
  "--timeout",
  "--max-cost",
  "--playbook",
  "--policy",
  "--secret-env",
  "--cwd",
  "--no-merge",
  "--merge",
  "--push",
  "--push-remote",
  "--create-pr",
  "--pr-target",
  "--max-jobs",
  "--job-name",
  "--job-input",
  "--job-result",
]);

/** Checks `{ validator, args }` entries: the name is known and the args fit that validator. */
export async function checkConditions(
  problems: Problems,
  file: string,
  path: Path,
  conditions: unknown,
  agentDir: string,
): Promise<void> {
  if (!Array.isArray(conditions)) return;
  for (const [i, condition] of conditions.entries()) {
    const name = field(condition, "validator");
    if (typeof name !== "string") continue; // the schema reports it
    if (!isKnownValidator(name)) {
      problems.add(
        file,
        [...path, i, "validator"],
        `unknown validator "${name}"${didYouMean(name)}; known: ${VALIDATOR_NAMES.join(", ")}`,
      );
      continue;
    }
    const args = field(condition, "args") ?? {};
    const parsed = KNOWN_VALIDATORS[name].args.safeParse(args);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.add(file, [...path, i, "args", ...issue.path], `${name}: ${issue.message}`);
      }
      continue;
    }
    if (name === "json-schema") {
      await checkSchemaRef(problems, file, [...path, i, "args", "schema"], field(args, "schema"), agentDir);
    }
  }
}

/** An inline JSON Schema or a path to one in the agent folder: it must exist and compile. */
export async function checkSchemaRef(
  problems: Problems,
  file: string,
  path: Path,
  schema: unknown,
  agentDir: string,
): Promise<void> {
  let value = schema;
  if (typeof schema === "string") {
    const missing = await insideProblem(agentDir, schema, "file");
    if (missing) return problems.add(file, path, missing);
    try {
      value = JSON.parse(await readFile(resolve(agentDir, schema), "utf8"));
    } catch (error) {
      return problems.add(file, path, `"${schema}" is not JSON: ${(error as Error).message}`);
    }
  }
  const problem = jsonSchemaProblem(value);
  if (problem) problems.add(file, path, problem);
}

/** completionConfig must carry what its completionType needs, and nothing another type needs. */
export async function checkCompletion(
  problems: Problems,
  file: string,
  behavior: unknown,
  agentDir: string,
): Promise<void> {
  const type = field(behavior, "completionType");
  const config = field(behavior, "completionConfig") ?? {};
  if (typeof type !== "string" || !Object.hasOwn(REQUIRED_BY_TYPE, type) || !isRecord(config)) return;
  const base = ["behavior", "completionConfig"];
  const required = REQUIRED_BY_TYPE[type] ?? [];
  for (const key of required) {
    if (config[key] === undefined) {
      problems.add(file, [...base, key], `completionType "${type}" requires completionConfig.${key}`);
    }
  }
  const allowed = new Set([...required, ...(ALLOWED_EXTRA[type] ?? []), ...UNIVERSAL]);
  for (const key of Object.keys(config)) {
    const owner = Object.entries(REQUIRED_BY_TYPE).find(([, keys]) => keys.includes(key))?.[0];
    const extraOwner = Object.entries(ALLOWED_EXTRA).find(([, keys]) => keys.includes(key))?.[0];
    if (!allowed.has(key) && (owner ?? extraOwner)) {
      problems.add(
        file,
        [...base, key],
        `${key} belongs to completionType "${owner ?? extraOwner}", not "${type}"`,
      );
    }
  }
  for (const key of ["validators", "completionConditions"]) {
    const list = config[key];
    if (Array.isArray(list) && list.length === 0 && required.includes(key)) {
      problems.add(file, [...base, key], `completionType "${type}" needs at least one condition`);
    }
    await checkConditions(problems, file, [...base, key], list, agentDir);
  }
  if (type === "structuredSignal" && config.outputSchema !== undefined) {
    await checkSchemaRef(problems, file, [...base, "outputSchema"], config.outputSchema, agentDir);
  }
  if (type === "custom" && typeof config.completionHandler === "string") {
    const handler = config.completionHandler;
    const missing = await insideProblem(agentDir, handler, "file");
    if (missing)
      problems.add(file, [...base, "completionHandler"], `handler module ${missing.replace(/^file /, "")}`);
    else if (!/\.(m?js|cjs)$/.test(handler)) {
      problems.add(
        file,
        [...base, "completionHandler"],
        `handler module "${handler}" must be a .js or .mjs file`,
      );
    }
  }
}

/** Claude Code's own credential scrub, which Handoff's sandbox settings do better (docs/policy.md). */
const CLAUDE_SCRUB = "CLAUDE_CODE_SUBPROCESS_ENV_SCRUB";

/** The runtime block: command template only for the command adapter, env names only. */
export function checkRuntime(
  problems: Problems,
  file: string,
  runtime: unknown,
  parameterNames: string[],
): void {
  if (!isRecord(runtime)) return;
  const adapter = runtime.adapter;
  if (adapter === "command" && runtime.command === undefined) {
    problems.add(file, ["runtime", "command"], `adapter "command" requires runtime.command`);
  }
  if (typeof adapter === "string" && adapter !== "command") {
    for (const key of ["command", "args"]) {
      if (runtime[key] !== undefined) {
        problems.add(
          file,
          ["runtime", key],
          `runtime.${key} is only used by adapter "command", not "${adapter}"`,
        );
      }
    }
  }
  const known = new Set([...RUNTIME_PLACEHOLDERS, ...parameterNames]);
  const templates: [PropertyKey[], unknown][] = [[["runtime", "command"], runtime.command]];
  if (Array.isArray(runtime.args))
    runtime.args.forEach((a, i) => templates.push([["runtime", "args", i], a]));
  for (const [path, text] of templates) {
    if (typeof text !== "string") continue;
    for (const match of text.matchAll(/\{([^{}]*)\}/g)) {
      const name = match[1] ?? "";
      if (!known.has(name)) {
        problems.add(
          file,
          path,
          `unknown placeholder {${name}}; known: ${[...known].map((k) => `{${k}}`).join(" ")}`,
        );
      }
    }
  }
  if (Array.isArray(runtime.env)) {
    const seen = new Set<string>();
    runtime.env.forEach((entry, i) => {
      const path = ["runtime", "env", i];
      // Never echo the entry: if it is a value, it may be a secret.
      if (typeof entry !== "string") return problems.add(file, path, "must be a variable name (a string)");
      if (entry.includes("=")) {
        return problems.add(
          file,
          path,
          "contains '=': list the variable NAME only; its value comes from the environment",
        );
      }
      if (!ENV_NAME.test(entry)) {
        return problems.add(
          file,
          path,
          "does not look like a variable name (^[A-Z_][A-Z0-9_]*$); list names only, never values",
        );
      }
      if (seen.has(entry)) problems.add(file, path, `duplicate variable name ${entry}`);
      seen.add(entry);
      if (adapter === "claude-code" && entry === CLAUDE_SCRUB) {
        problems.add(
          file,
          path,
          `${CLAUDE_SCRUB} replaces Claude Code's worktree-only sandbox with a wider one and leaves stub files in the worktree; Handoff already unsets the CLI's credentials for its Bash tool (docs/policy.md): remove it`,
        );
      }
    });
  }
}

/** Parameters: defaults match types, flags are unique and do not clash with `handoff run`'s own. */
export function checkParameters(problems: Problems, file: string, parameters: unknown): void {
  if (!isRecord(parameters)) return;
  const flags = new Map<string, string>();
  for (const [name, spec] of Object.entries(parameters)) {
    if (!isRecord(spec)) continue;
    const path = ["parameters", name];
    const def = spec.default;
    if (def !== undefined && typeof spec.type === "string" && typeof def !== spec.type) {
      problems.add(file, [...path, "default"], `default ${JSON.stringify(def)} is not a ${spec.type}`);
    }
    if (spec.required === true && def !== undefined) {
      problems.add(file, [...path, "required"], "a required parameter cannot have a default");
    }
    const flag = typeof spec.cli === "string" ? spec.cli : parameterFlag(name);
    if (!CLI_FLAG.test(flag)) continue;
    if (RESERVED_FLAGS.has(flag)) {
      problems.add(
        file,
        [...path, "cli"],
        `${flag} is an option of \`handoff run\` itself; choose another flag`,
      );
    }
    const other = flags.get(flag);
    if (other) problems.add(file, [...path, "cli"], `${flag} is also the flag of parameter "${other}"`);
    flags.set(flag, name);
  }
}

/** The role bounds what finalize may do: pushing needs a role that may push. */
export function checkRole(problems: Problems, file: string, agent: unknown): void {
  const role = RoleSchema.safeParse(field(agent, "role"));
  if (!role.success) return;
  const caps = roleCapabilities(role.data);
  const finalize = field(agent, "finalize");
  const push = field(finalize, "push") === true;
  const createPr = field(finalize, "createPr") === true;
  const autoMerge = field(finalize, "autoMerge") !== false;
  if (!caps.commit && (push || createPr)) {
    const key = push ? "push" : "createPr";
    problems.add(
      file,
      ["finalize", key],
      `role "${role.data}" may not commit, so it has nothing to push or propose`,
    );
  } else if (push && autoMerge && !createPr && !caps.pushToBase) {
    problems.add(
      file,
      ["finalize", "push"],
      `push with autoMerge pushes the base branch, which only an integrator may do; set createPr: true or autoMerge: false`,
    );
  }
}

/** name must be the folder name: `findAgent(name)` looks the folder up by it. */
export function checkName(problems: Problems, file: string, agent: unknown, dir: string): void {
  const name = field(agent, "name");
  if (typeof name === "string" && name !== basename(dir)) {
    problems.add(file, ["name"], `"${name}" must equal the folder name "${basename(dir)}"`);
  }
}

/** Levenshtein distance, for "did you mean" hints on short names. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost);
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

function didYouMean(name: string): string {
  const near = VALIDATOR_NAMES.find((known) => editDistance(known, name) <= 2);
  return near ? ` (did you mean "${near}"?)` : "";
}
