// The work behind `handoff agent …`, loaded lazily so `handoff --help` stays fast.
import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { defaultAgentRoots, findAgent, listAgents } from "../../agents/find.js";
import { checkAgent, type AgentCheck } from "../../agents/load.js";
import { roleCapabilities } from "../../agents/roles.js";
import { printJson, printLine } from "../output.js";
import { parameterOptions } from "./agent-parameters.js";

/** Each argument is a folder, else an agent name; no argument means every agent found. */
export async function validateTargets(targets: string[]): Promise<AgentCheck[]> {
  const entries = await listAgents(defaultAgentRoots());
  if (targets.length === 0) return Promise.all(entries.map((e) => checkAgent(e.dir)));
  return Promise.all(
    targets.map(async (target) => {
      // A path to the agent.json itself is accepted too.
      if (existsSync(target)) return checkAgent(basename(target) === "agent.json" ? dirname(target) : target);
      const entry = entries.find((e) => e.name === target);
      if (entry) return checkAgent(entry.dir);
      return {
        dir: resolve(target),
        problems: [
          `${resolve(target)}: no such folder, and no agent named "${target}" (known: ${entries.map((e) => e.name).join(", ") || "none"})`,
        ],
      };
    }),
  );
}

export interface AgentRow {
  name: string;
  dir: string;
  valid: boolean;
  displayName?: string;
  description?: string;
  role?: string;
  adapter?: string;
  problems: string[];
}

export async function listRows(): Promise<AgentRow[]> {
  const entries = await listAgents(defaultAgentRoots());
  return Promise.all(
    entries.map(async (entry) => {
      const check = await checkAgent(entry.dir);
      const def = check.definition;
      if (!def) return { name: entry.name, dir: entry.dir, valid: false, problems: check.problems };
      return {
        name: def.name,
        dir: def.dir,
        valid: true,
        displayName: def.agent.displayName,
        description: def.agent.description,
        role: def.agent.role,
        adapter: def.agent.runtime.adapter,
        problems: [],
      };
    }),
  );
}

export async function showAgent(name: string, json: boolean): Promise<void> {
  const def = await findAgent(name);
  const caps = roleCapabilities(def.agent.role);
  const flags = parameterOptions(def).map((o) => ({
    flags: o.flags,
    description: o.description,
    default: o.defaultValue,
    required: o.mandatory,
  }));
  if (json) {
    printJson({
      name: def.name,
      dir: def.dir,
      agent: def.agent,
      stepsRegistry: def.stepsRegistry ?? null,
      config: def.config ?? null,
      capabilities: caps,
      runFlags: flags,
      systemPromptFile: join(def.dir, def.agent.behavior.systemPromptPath),
    });
    return;
  }
  const a = def.agent;
  printLine(`${a.displayName} (${a.name})`);
  printLine(`  ${a.description}`);
  printLine(`folder:      ${def.dir}`);
  printLine(
    `role:        ${a.role} (commit: ${caps.commit ? "yes" : "no"}, push branch: ${caps.push ? "yes" : "no"}, push base: ${caps.pushToBase ? "yes" : "no"})`,
  );
  const runtime =
    a.runtime.adapter === "command"
      ? `command: ${[a.runtime.command, ...(a.runtime.args ?? [])].join(" ")}`
      : a.runtime.adapter;
  printLine(
    `runtime:     ${runtime}${a.runtime.model ? ` model ${a.runtime.model}` : ""}${a.runtime.maxTurns ? `, max ${a.runtime.maxTurns} turns` : ""}`,
  );
  printLine(`env names:   ${a.runtime.env.join(", ") || "(none)"}`);
  printLine(`completion:  ${a.behavior.completionType} ${JSON.stringify(a.behavior.completionConfig)}`);
  printLine(
    `permissions: ${a.behavior.permissionMode}; tools: ${a.behavior.allowedTools.join(", ") || "(adapter default)"}`,
  );
  printLine(`finalize:    ${JSON.stringify(a.finalize)}`);
  if (flags.length > 0) {
    printLine("parameters (flags of handoff run):");
    for (const f of flags)
      printLine(
        `  ${f.flags}${f.required ? " (required)" : ""}  ${f.description}${f.default !== undefined ? ` [default: ${String(f.default)}]` : ""}`,
      );
  }
  const steps = Object.entries(def.stepsRegistry?.steps ?? {});
  if (steps.length > 0) {
    printLine("steps:");
    for (const [id, step] of steps) {
      const conditions = step.completionConditions.map((c) => c.validator).join(", ") || "(none)";
      printLine(
        `  ${id}: ${conditions}; on failure ${step.onFailure.action} (max ${step.onFailure.maxAttempts})${step.next ? ` → ${step.next}` : ""}`,
      );
    }
  }
}

export { jsonSchemaOf } from "../../schemas.js";
