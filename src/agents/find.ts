import { existsSync, statSync } from "node:fs";
import { readdir, realpath } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { NotFoundError, UsageError } from "../errors.js";
import { packageRoot } from "../util/package-root.js";
import { isFile } from "./files.js";
import { loadAgent, type AgentDefinition } from "./load.js";

/** The agents shipped with the package: the `agents/` folder beside Handoff's package.json. */
export function packageAgentsDir(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let root: string;
  try {
    root = packageRoot(from);
  } catch {
    return undefined;
  }
  const agents = join(root, "agents");
  return existsSync(agents) && statSync(agents).isDirectory() ? agents : undefined;
}

/** The repository that contains `cwd`: the nearest folder with a `.git` entry (no git process needed). */
export function repoRoot(cwd: string = process.cwd()): string {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

/**
 * Where agents are looked up, first match wins: `<repo>/.handoff/agents` (local overrides),
 * `<repo>/agents`, then the agents shipped with Handoff.
 */
export function defaultAgentRoots(cwd: string = process.cwd()): string[] {
  const repo = repoRoot(cwd);
  const roots = [join(repo, ".handoff", "agents"), join(repo, "agents")];
  const shipped = packageAgentsDir();
  if (shipped) roots.push(shipped);
  return roots;
}

/** One agent folder found under a root. Earlier roots shadow later ones with the same name. */
export interface AgentEntry {
  name: string;
  dir: string;
  root: string;
}

/** Every agent folder (a folder with an agent.json) under the roots, without validating them. */
export async function listAgents(roots: string[] = defaultAgentRoots()): Promise<AgentEntry[]> {
  const found = new Map<string, AgentEntry>();
  const seenRoots = new Set<string>();
  for (const root of roots) {
    let real: string;
    try {
      real = await realpath(root);
    } catch {
      continue;
    }
    if (seenRoots.has(real)) continue; // <repo>/agents is the shipped folder inside Handoff's own repo
    seenRoots.add(real);
    let names: string[];
    try {
      names = (await readdir(root, { withFileTypes: true }))
        .filter((e) => e.isDirectory() || e.isSymbolicLink())
        .map((e) => e.name)
        .sort();
    } catch {
      continue; // a root that is a file, or unreadable, holds no agents
    }
    for (const name of names) {
      const dir = join(root, name);
      if (!found.has(name) && (await isFile(join(dir, "agent.json")))) found.set(name, { name, dir, root });
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Why `name` cannot name an agent folder, or undefined when it can. */
export function agentNameProblem(name: string): string | undefined {
  if (/^[a-z0-9][a-z0-9._-]*$/.test(name) && !name.includes("..")) return undefined;
  return `invalid agent name "${name}": use lower-case letters, digits, '.', '_' or '-'`;
}

/** Finds an agent by name and loads it (ConfigError when invalid, NotFoundError listing the known names). */
export async function findAgent(
  name: string,
  roots: string[] = defaultAgentRoots(),
): Promise<AgentDefinition> {
  const invalid = agentNameProblem(name);
  if (invalid) throw new UsageError(invalid);
  const entries = await listAgents(roots);
  const entry = entries.find((e) => e.name === name);
  if (!entry) {
    const known = entries.map((e) => e.name).join(", ") || "(none)";
    throw new NotFoundError(`unknown agent "${name}"; known agents: ${known} (searched ${roots.join(", ")})`);
  }
  return loadAgent(entry.dir);
}
