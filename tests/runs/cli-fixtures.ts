/** A repository prepared for `handoff run` through the real CLI: agents and playbook committed, issues on the local forge. */
import { spawn } from "node:child_process";
import { LocalForge } from "../../src/forge/index.js";
import type { Job } from "../../src/runs/job.js";
import { CLI } from "../helpers/cli.js";
import type { GitSandbox } from "../helpers/git.js";

/** agent.json of a `command` agent running `node -e script {prompt_file} {issue}`. */
export function commandAgent(
  name: string,
  script: string,
  extra: Record<string, unknown> = {},
): Record<string, string> {
  const json = {
    name,
    displayName: name,
    description: "test agent",
    role: "coder",
    runtime: {
      adapter: "command",
      command: "node",
      args: ["-e", script, "{prompt_file}", "{issue}"],
      env: [],
    },
    behavior: {
      systemPromptPath: "prompts/system.md",
      completionType: "iterationBudget",
      completionConfig: { maxIterations: 1 },
    },
    finalize: { autoMerge: false, push: false, remote: "origin", createPr: false },
    ...extra,
  };
  return {
    [`.handoff/agents/${name}/agent.json`]: JSON.stringify(json, null, 2),
    [`.handoff/agents/${name}/prompts/system.md`]: `You are ${name}.\n`,
  };
}

export function issueFile(issue: number, title: string, body = "Do the thing."): Record<string, string> {
  return {
    [`.handoff/issues/${issue}.json`]: JSON.stringify({
      issue,
      title,
      body,
      comments: [{ author: "rev", body: "please hurry" }],
    }),
  };
}

export function playbookFile(script: string): Record<string, string> {
  return {
    ".handoff/playbook.yml": `name: tests\nsteps:\n  - name: test\n    command: ["node", "-e", ${JSON.stringify(script)}]\n    timeout_seconds: 30\n`,
  };
}

/**
 * Without a policy of its own a run falls back to the shipped deny-by-default policy, which refuses the
 * `node -e` scripts these test agents and playbooks are; so the fixture repository allows them by name.
 */
export const TEST_POLICY = 'default_action: allow\nallow:\n  - { program: node, args: ["-e", "**"] }\n';

/**
 * A repository with `files` committed. Issues given by `issueFile` are opened on the repository's local
 * forge with their own numbers (not committed), the way `handoff issue create` keeps them.
 */
export async function setupRepo(sb: GitSandbox, files: Record<string, string>): Promise<string> {
  const committed: Record<string, string> = {};
  const issues: Job[] = [];
  for (const [path, text] of Object.entries(files)) {
    if (/^\.handoff\/issues\/\d+\.json$/.test(path)) issues.push(JSON.parse(text) as Job);
    else committed[path] = text;
  }
  const repo = await sb.createRepo("repo", {
    files: {
      "README.md": "# r\n",
      ".gitignore": ".worktrees/\n",
      ".handoff/policy.yml": TEST_POLICY,
      ...committed,
    },
  });
  const forge = await LocalForge.open(repo, { actor: "reporter" });
  for (const issue of issues) {
    await forge.importIssue(Number(issue.issue), {
      title: issue.title,
      body: issue.body ?? "",
      labels: issue.labels ?? [],
      comments: (issue.comments ?? []).map((c) => ({ author: c.author ?? "someone", body: c.body })),
    });
  }
  return repo;
}

export interface Spawned {
  pid: number;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  stdout(): string;
}

/** Runs the built CLI as a child we can signal. */
export function spawnCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Spawned {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  return {
    pid: child.pid!,
    stdout: () => stdout,
    done: new Promise((resolve) =>
      child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
    ),
  };
}
