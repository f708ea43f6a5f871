import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

type Json = Record<string, unknown>;

/** A small valid agent.json; tests override parts of it. */
export function baseAgent(name = "demo"): Json {
  return {
    name,
    displayName: "Demo",
    description: "A demo agent for tests.",
    role: "coder",
    runtime: { adapter: "claude-code", env: ["ANTHROPIC_API_KEY"] },
    behavior: {
      systemPromptPath: "prompts/system.md",
      completionType: "iterationBudget",
      completionConfig: { maxIterations: 3 },
      allowedTools: ["Read", "Edit"],
      permissionMode: "acceptEdits",
    },
  };
}

/**
 * Writes an agent folder `<root>/<name>` with agent.json (given as an object or raw text), a system
 * prompt and any extra files (path → content; objects are written as JSON).
 */
export async function writeAgent(
  root: string,
  agent: Json | string,
  files: Record<string, unknown> = {},
  name = typeof agent === "string" ? "demo" : String(agent.name ?? "demo"),
): Promise<string> {
  const dir = join(root, name);
  const all: Record<string, unknown> = {
    "prompts/system.md": "# System\n",
    ...files,
    "agent.json": typeof agent === "string" ? agent : agent,
  };
  for (const [rel, content] of Object.entries(all)) {
    if (content === undefined) continue;
    const file = join(dir, rel);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** Deep-merges `patch` into a copy of `base` (objects merge, everything else replaces; undefined deletes). */
export function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    if (value === undefined) delete out[key];
    else if (isObject(value) && isObject(current)) out[key] = merge(current, value);
    else out[key] = value;
  }
  return out;
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
