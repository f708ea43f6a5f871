/**
 * Which agent CLI a run needs and whether the runner already has it. The composite installs a missing
 * CLI from the npm registry at a pinned version into a folder that `actions/cache` restores, keyed on
 * that version, so a warm job spends no time on it.
 */
import { accessSync, constants } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** An agent CLI that ships as an npm package. */
export interface NpmAgentCli {
  /** The npm package. */
  package: string;
  /** The executable the adapter runs. */
  bin: string;
  /** The version Handoff is tested with; what the action installs unless told otherwise. */
  version: string;
}

/**
 * The adapters whose CLI comes from npm, at the versions Handoff's own tests run (package.json's
 * devDependencies; a test keeps the two equal). Aider (pip) and `command` agents bring their own.
 */
export const NPM_AGENT_CLIS: Readonly<Record<string, NpmAgentCli>> = {
  "claude-code": { package: "@anthropic-ai/claude-code", bin: "claude", version: "2.1.197" },
  codex: { package: "@openai/codex", bin: "codex", version: "0.171.0" },
  gemini: { package: "@google/gemini-cli", bin: "gemini", version: "0.61.0" },
};

/** What the composite's install steps are told. */
export interface CliPlan {
  needed: boolean;
  package?: string;
  version?: string;
  /** The install prefix: `<dir>/node_modules/.bin` goes on PATH. */
  dir?: string;
  /** Why nothing is installed, for the log. */
  note: string;
}

/** Whether an executable named `command` is on `PATH` (or `command` is a path to one). */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const candidates = command.includes("/")
    ? [command]
    : (env.PATH ?? "")
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The install plan for an agent whose runtime uses `adapter` and runs `command`: nothing when the
 * adapter has no npm CLI or the command is already on PATH, else the pinned package and its folder
 * under the runner's tool cache.
 */
export function planAgentCli(
  adapter: string,
  command: string | undefined,
  options: { version?: string; env?: NodeJS.ProcessEnv } = {},
): CliPlan {
  const env = options.env ?? process.env;
  const cli = NPM_AGENT_CLIS[adapter];
  if (!cli) return { needed: false, note: `the ${adapter} runtime installs no npm CLI` };
  const bin = command ?? cli.bin;
  if (onPath(bin, env)) return { needed: false, note: `${bin} is already on PATH` };
  const version = options.version ?? cli.version;
  const root = env.RUNNER_TOOL_CACHE || env.RUNNER_TEMP || tmpdir();
  const dir = join(root, "handoff-agent-cli", `${cli.package.replace(/[@/]/g, "_")}-${version}`);
  return { needed: true, package: cli.package, version, dir, note: `installing ${cli.package}@${version}` };
}
