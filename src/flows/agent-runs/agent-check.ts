/**
 * Does agent `<name>` exist and validate where the workflow will load it? The repository's
 * `agents/<name>/` at the default branch (read through the forge's contents), else the agent Handoff
 * ships. The one loader/validator of src/agents/ decides, on a temporary copy of the folder, so the app
 * refuses exactly what the Action's run would refuse, with the same messages.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { agentNameProblem, checkAgent, listAgents, packageAgentsDir } from "../../agents/index.js";
import type { Forge, ForgeDirEntry } from "../../forge/types.js";

/** Where agents sit in a repository (the Action's checkout loads them from there too). */
export const REPO_AGENTS_DIR = "agents";

/** A definition larger than this is not an agent folder; refuse rather than download it. */
const MAX_FILES = 64;

export type AgentCheckResult =
  | { ok: true; name: string; source: "repository" | "shipped" }
  | { ok: false; name: string; message: string; problems: string[] };

/** Checks agent `name` at `ref` (default: the default branch). Costs one call for a shipped agent. */
export async function checkAgentAt(forge: Forge, name: string, ref?: string): Promise<AgentCheckResult> {
  const invalid = agentNameProblem(name);
  if (invalid) return { ok: false, name, message: invalid, problems: [] };
  const folder = `${REPO_AGENTS_DIR}/${name}`;
  const entries = await forge.listDirectory(folder, ref);
  if (entries) return checkRepositoryAgent(forge, name, folder, entries, ref);

  const shipped = packageAgentsDir();
  const entry = shipped ? (await listAgents([shipped])).find((a) => a.name === name) : undefined;
  if (!entry) {
    const known = await knownAgents(forge, ref);
    return {
      ok: false,
      name,
      message: `unknown agent "${name}": there is no ${folder}/ in the repository and Handoff ships no such agent; known agents: ${known.join(", ") || "(none)"}`,
      problems: [],
    };
  }
  const check = await checkAgent(entry.dir);
  if (check.definition) return { ok: true, name, source: "shipped" };
  return {
    ok: false,
    name,
    message: `Handoff's shipped agent "${name}" is invalid`,
    problems: check.problems,
  };
}

/** Names of the repository's agents and the shipped ones, for the "unknown agent" answer. */
async function knownAgents(forge: Forge, ref?: string): Promise<string[]> {
  const repo = ((await forge.listDirectory(REPO_AGENTS_DIR, ref)) ?? [])
    .filter((e) => e.type === "dir")
    .map((e) => e.name);
  const shipped = packageAgentsDir();
  const names = shipped ? (await listAgents([shipped])).map((a) => a.name) : [];
  return [...new Set([...repo, ...names])].sort();
}

async function checkRepositoryAgent(
  forge: Forge,
  name: string,
  folder: string,
  entries: ForgeDirEntry[],
  ref?: string,
): Promise<AgentCheckResult> {
  const root = await mkdtemp(join(tmpdir(), "handoff-agent-"));
  try {
    const local = join(root, name);
    await mkdir(local, { recursive: true });
    const copied = await copyFolder(forge, folder, entries, local, ref);
    if (typeof copied === "string") return { ok: false, name, message: copied, problems: [] };
    const check = await checkAgent(local);
    if (check.definition) return { ok: true, name, source: "repository" };
    // The validator names files by their temporary path; say where they are in the repository.
    const problems = check.problems.map((p) => p.split(local).join(folder));
    return { ok: false, name, message: `agent "${name}" (${folder}/) is invalid`, problems };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Copies a forge folder into `target`; a message instead when it is too large to be an agent. */
async function copyFolder(
  forge: Forge,
  folder: string,
  entries: ForgeDirEntry[],
  target: string,
  ref?: string,
): Promise<true | string> {
  const pending = entries.map((entry) => ({ entry, base: target }));
  let files = 0;
  while (pending.length) {
    const { entry, base } = pending.shift()!;
    const path = join(base, entry.name);
    if (entry.type === "dir") {
      await mkdir(path, { recursive: true });
      for (const child of (await forge.listDirectory(entry.path, ref)) ?? [])
        pending.push({ entry: child, base: path });
      continue;
    }
    // Symlinks and submodules cannot be part of a shared definition; the validator reports the gap.
    if (entry.type !== "file") continue;
    if (++files > MAX_FILES)
      return `${folder}/ holds more than ${MAX_FILES} files; an agent folder is smaller`;
    const file = await forge.readFile(entry.path, ref);
    if (!file) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
  return true;
}
