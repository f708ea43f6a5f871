/**
 * What every handler needs from a Probot context: the forge over `context.octokit`, the repository's
 * validated config, and a way to answer on the triggering issue.
 */
import type { Context } from "probot";
import { CONFIG_FILE, CONFIG_PATH, type HandoffConfig, parseHandoffConfig } from "../config/schema.js";
import { ConfigError } from "../errors.js";
import { type ForgeOctokit, GitHubForge } from "../forge/github/index.js";
import type { Forge } from "../forge/types.js";

/** The events Handoff handles have a repository; this is the part of the payload read here. */
type RepoContext = Pick<Context, "octokit" | "repo" | "config" | "log" | "id">;

/** The forge port over the installation's Octokit (Probot's throttling and retry included). */
export function forgeOf(context: RepoContext): Forge {
  const { owner, repo } = context.repo();
  // Probot's Octokit carries the same rest, paginate and request the forge calls.
  return new GitHubForge(context.octokit as unknown as ForgeOctokit, { owner, repo });
}

/** A config that failed validation: every problem with its JSON path. */
export interface ConfigProblem {
  message: string;
  problems: string[];
}

/**
 * `.github/handoff.yml` through `context.config()`, so `_extends` and the organisation's `.github`
 * repository apply; validated with the one zod schema. Returns the problems instead of throwing, so the
 * handler can answer on its issue and do nothing else.
 */
export async function loadConfig(context: RepoContext): Promise<HandoffConfig | ConfigProblem> {
  let raw: unknown;
  try {
    raw = await context.config(CONFIG_FILE);
  } catch (error) {
    // The config plugin throws on YAML it cannot parse; say so rather than failing the delivery.
    return { message: `${CONFIG_PATH} cannot be read: ${(error as Error).message}`, problems: [] };
  }
  try {
    return parseHandoffConfig(raw, CONFIG_PATH);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { message: `${CONFIG_PATH} is invalid`, problems: [...error.problems] };
  }
}

export function isConfigProblem(value: HandoffConfig | ConfigProblem): value is ConfigProblem {
  return "problems" in value && "message" in value;
}

/** The reply body for an invalid config: what is wrong, where, and that nothing else happened. */
export function renderConfigProblem(problem: ConfigProblem, marker: string): string {
  const list = problem.problems.map((p) => `- \`${p}\``).join("\n");
  return (
    `${marker}\nHandoff did nothing: ${problem.message}.` +
    (list ? `\n\n${list}` : "") +
    `\n\nFix the file (\`handoff schema config\` prints its JSON Schema; docs/github-app.md lists every key).`
  );
}
