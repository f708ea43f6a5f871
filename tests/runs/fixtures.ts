/** Agent definitions and jobs for run-loop tests: real files, loaded by the real loader. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadAgent, type AgentDefinition } from "../../src/agents/index.js";
import type { Job } from "../../src/runs/job.js";

/** Writes `agents/<name>/` under `root` and loads it. `agent` is merged over a command-agent default. */
export async function writeAgent(
  root: string,
  name: string,
  agent: Record<string, unknown>,
  extraFiles: Record<string, string> = {},
): Promise<AgentDefinition> {
  const dir = join(root, "agents", name);
  await mkdir(join(dir, "prompts"), { recursive: true });
  await writeFile(join(dir, "prompts", "system.md"), `You are the ${name} test agent.\n`);
  for (const [path, content] of Object.entries(extraFiles)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  const json = {
    name,
    displayName: name,
    description: "test agent",
    role: "coder",
    runtime: { adapter: "command", command: process.execPath, args: ["{prompt_file}"], env: [] },
    behavior: {
      systemPromptPath: "prompts/system.md",
      completionType: "iterationBudget",
      completionConfig: { maxIterations: 1 },
    },
    finalize: { autoMerge: false, push: false, remote: "origin", createPr: false },
    ...agent,
  };
  await writeFile(join(dir, "agent.json"), JSON.stringify(json, null, 2));
  return loadAgent(dir);
}

/** A node script used as a `command` agent: argv[2] is the prompt file. */
export function nodeAgent(script: string): {
  adapter: "command";
  command: string;
  args: string[];
  env: string[];
} {
  return {
    adapter: "command",
    command: process.execPath,
    args: ["-e", script, "{prompt_file}", "{issue}"],
    env: [],
  };
}

export function job(issue: number | string = 4, title = "Add the greeting"): Job {
  return { issue, title, body: "Write hello.txt with the word hello.", comments: [], labels: [] };
}

/** A playbook file whose one step runs `node -e script`. */
export async function writePlaybook(
  file: string,
  script: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const yaml = [
    "name: test",
    "steps:",
    "  - name: check",
    `    command: [${JSON.stringify(process.execPath)}, "-e", ${JSON.stringify(script)}]`,
    "    timeout_seconds: 30",
    ...Object.entries(extra).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`),
    "",
  ].join("\n");
  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(file, yaml);
  return file;
}
