import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { z } from "zod";
import { ConfigError } from "../errors.js";
import { cannotRead } from "../util/validate.js";
import {
  checkCompletion,
  checkConditions,
  checkName,
  checkParameters,
  checkRole,
  checkRuntime,
} from "./checks.js";
import { insideProblem, isFile } from "./files.js";
import { field, isRecord, Problems } from "./problems.js";
import { AgentConfigSchema, AgentSchema, type AgentConfig, type AgentJson } from "./schema.js";
import { StepsRegistrySchema, type StepsRegistry } from "./steps.js";

/** A loaded, validated agent definition. */
export interface AgentDefinition {
  /** agent.json `name` (equals the folder name). */
  name: string;
  /** Absolute path of the agent folder. */
  dir: string;
  /** agent.json with defaults filled in. */
  agent: AgentJson;
  /** steps_registry.json (or the file named by prompts.registry), when present. */
  stepsRegistry?: StepsRegistry;
  /** config.json, when present. */
  config?: AgentConfig;
  /** The text of behavior.systemPromptPath. */
  systemPrompt: string;
}

/** The result of checking a folder: a definition when valid, every problem otherwise. */
export interface AgentCheck {
  dir: string;
  definition?: AgentDefinition;
  problems: string[];
}

async function readJson(file: string, problems: Problems, optional: boolean): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!(optional && code === "ENOENT")) problems.add(file, [], cannotRead(error));
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    problems.add(file, [], `malformed JSON: ${(error as Error).message}`);
    return undefined;
  }
}

function schemaProblems<S extends z.ZodType>(schema: S, data: unknown, file: string, problems: Problems) {
  const result = schema.safeParse(data);
  if (result.success) return result.data as z.output<S>;
  for (const issue of result.error.issues) problems.add(file, issue.path, issue.message);
  return undefined;
}

/**
 * Checks an agent folder and returns every problem (`file: $.path: message`) at once: schema errors of
 * agent.json, config.json and the steps registry, completion-type consistency, referenced files,
 * validator names and arguments, runtime and role rules.
 */
export async function checkAgent(dirIn: string): Promise<AgentCheck> {
  const dir = resolve(dirIn);
  const problems = new Problems();
  const agentFile = join(dir, "agent.json");
  const raw = await readJson(agentFile, problems, false);
  if (raw === undefined) return { dir, problems: problems.list };

  const agent = schemaProblems(AgentSchema, raw, agentFile, problems);
  const parameterNames = isRecord(field(raw, "parameters"))
    ? Object.keys(field(raw, "parameters") as object)
    : [];
  checkName(problems, agentFile, raw, dir);
  await checkCompletion(problems, agentFile, field(raw, "behavior"), dir);
  checkRuntime(problems, agentFile, field(raw, "runtime"), parameterNames);
  checkParameters(problems, agentFile, field(raw, "parameters"));
  checkRole(problems, agentFile, raw);

  const promptPath = field(field(raw, "behavior"), "systemPromptPath");
  if (typeof promptPath === "string") {
    const missing = await insideProblem(dir, promptPath, "file");
    if (missing) problems.add(agentFile, ["behavior", "systemPromptPath"], missing);
  }
  const prompts = field(raw, "prompts");
  const fallbackDir = field(prompts, "fallbackDir");
  if (typeof fallbackDir === "string") {
    const missing = await insideProblem(dir, fallbackDir, "dir");
    if (missing) problems.add(agentFile, ["prompts", "fallbackDir"], missing);
  }

  // The registry: named explicitly it must exist; the default file is optional (except for stepMachine).
  const registryName = field(prompts, "registry");
  const registryRel = typeof registryName === "string" ? registryName : "steps_registry.json";
  let stepsRegistry: StepsRegistry | undefined;
  if (typeof registryName === "string") {
    const missing = await insideProblem(dir, registryName, "file");
    if (missing) problems.add(agentFile, ["prompts", "registry"], missing);
  }
  const registryFile = resolve(dir, registryRel);
  if (!registryRel.split(/[\\/]/).includes("..") && (await isFile(registryFile))) {
    const rawRegistry = await readJson(registryFile, problems, false);
    if (rawRegistry !== undefined) {
      stepsRegistry = schemaProblems(StepsRegistrySchema, rawRegistry, registryFile, problems);
      await checkRegistry(problems, registryFile, rawRegistry, dir);
    }
  }
  await checkStepMachine(problems, agentFile, raw, registryFile, stepsRegistry);

  const configFile = join(dir, "config.json");
  const rawConfig = await readJson(configFile, problems, true);
  let config: AgentConfig | undefined;
  if (rawConfig !== undefined) {
    config = schemaProblems(AgentConfigSchema, rawConfig, configFile, problems);
    checkConfigValues(problems, configFile, rawConfig, field(raw, "parameters"));
  }

  if (problems.size > 0 || !agent) return { dir, problems: problems.list };
  const systemPrompt = await readFile(resolve(dir, agent.behavior.systemPromptPath), "utf8");
  const definition: AgentDefinition = { name: agent.name, dir, agent, systemPrompt };
  if (stepsRegistry) definition.stepsRegistry = stepsRegistry;
  if (config) definition.config = config;
  return { dir, definition, problems: [] };
}

/** Loads and validates an agent folder; throws a ConfigError listing every problem. */
export async function loadAgent(dir: string): Promise<AgentDefinition> {
  const check = await checkAgent(dir);
  if (check.definition) return check.definition;
  const n = check.problems.length;
  const message = `${check.dir}: invalid agent definition (${n} problem${n === 1 ? "" : "s"}):\n  ${check.problems.join("\n  ")}`;
  throw new ConfigError(message, join(check.dir, "agent.json"), check.problems);
}

async function checkRegistry(problems: Problems, file: string, raw: unknown, dir: string): Promise<void> {
  const steps = field(raw, "steps");
  if (!isRecord(steps)) return;
  for (const [id, step] of Object.entries(steps)) {
    const path = ["steps", id];
    await checkConditions(
      problems,
      file,
      [...path, "completionConditions"],
      field(step, "completionConditions"),
      dir,
    );
    const prompt = field(step, "prompt");
    if (typeof prompt === "string") {
      const missing = await insideProblem(dir, prompt, "file");
      if (missing) problems.add(file, [...path, "prompt"], missing);
    }
    const next = field(step, "next");
    if (typeof next === "string" && !Object.hasOwn(steps, next)) {
      problems.add(
        file,
        [...path, "next"],
        `unknown step "${next}"; steps: ${Object.keys(steps).join(", ")}`,
      );
    }
    const onFailure = field(step, "onFailure");
    const attempts = field(onFailure, "maxAttempts");
    if (field(onFailure, "action") === "retry" && (typeof attempts !== "number" || attempts < 2)) {
      problems.add(
        file,
        [...path, "onFailure", "maxAttempts"],
        'action "retry" needs maxAttempts of at least 2',
      );
    }
  }
  // `next` must not loop: retries are bounded by onFailure, a cycle would not be.
  for (const start of Object.keys(steps)) {
    const seen = new Set<string>([start]);
    let current = field(steps[start], "next");
    while (typeof current === "string" && Object.hasOwn(steps, current)) {
      if (seen.has(current)) {
        if (current === start)
          problems.add(file, ["steps", start, "next"], `steps form a cycle through "${start}"`);
        break;
      }
      seen.add(current);
      current = field(steps[current], "next");
    }
  }
}

async function checkStepMachine(
  problems: Problems,
  agentFile: string,
  raw: unknown,
  registryFile: string,
  registry: StepsRegistry | undefined,
): Promise<void> {
  const behavior = field(raw, "behavior");
  if (field(behavior, "completionType") !== "stepMachine") return;
  const ids = registry ? Object.keys(registry.steps) : [];
  if (!(await isFile(registryFile))) {
    problems.add(
      agentFile,
      ["prompts", "registry"],
      `completionType "stepMachine" needs a steps registry (${registryFile})`,
    );
  } else if (registry && ids.length === 0) {
    problems.add(registryFile, ["steps"], `completionType "stepMachine" needs at least one step`);
  }
  const initial = field(field(behavior, "completionConfig"), "initialStep");
  if (typeof initial === "string" && registry && !ids.includes(initial)) {
    problems.add(
      agentFile,
      ["behavior", "completionConfig", "initialStep"],
      `unknown step "${initial}"; steps in ${registryFile}: ${ids.join(", ") || "(none)"}`,
    );
  }
}

function checkConfigValues(problems: Problems, file: string, rawConfig: unknown, parameters: unknown): void {
  const values = field(rawConfig, "parameters");
  if (!isRecord(values)) return;
  for (const [name, value] of Object.entries(values)) {
    const spec = field(parameters, name);
    if (!isRecord(spec)) {
      const known = isRecord(parameters) ? Object.keys(parameters).join(", ") : "";
      problems.add(
        file,
        ["parameters", name],
        `unknown parameter "${name}"; agent.json declares: ${known || "(none)"}`,
      );
    } else if (typeof spec.type === "string" && typeof value !== spec.type) {
      problems.add(file, ["parameters", name], `must be a ${spec.type}`);
    }
  }
}

/** The prompt file of a step: its `prompt`, else `<fallbackDir>/steps/<id with '.' as '/'>.md` if it exists. */
export async function stepPromptPath(
  definition: AgentDefinition,
  stepId: string,
): Promise<string | undefined> {
  const step = definition.stepsRegistry?.steps[stepId];
  if (!step) return undefined;
  if (step.prompt) return resolve(definition.dir, step.prompt);
  const implicit = resolve(
    definition.dir,
    definition.agent.prompts.fallbackDir,
    "steps",
    `${stepId.split(".").join("/")}.md`,
  );
  return (await isFile(implicit)) ? implicit : undefined;
}
