/**
 * What every handler needs from a Probot context: the forge over `context.octokit` and the
 * repository's validated config.
 */
import type { Context } from "probot";
import { CONFIG_FILE, CONFIG_PATH, type HandoffConfig, parseHandoffConfig } from "../config/schema.js";
import { ConfigError } from "../errors.js";
import type { ConfigProblem } from "../flows/llm-tasks/events.js";
import { type ForgeOctokit, GitHubForge } from "../forge/github/index.js";
import type { Forge } from "../forge/types.js";

type RepoContext = Pick<Context, "octokit" | "repo" | "config">;

/** The forge port over the installation's Octokit (throttling and retry included). */
export function forgeOf(context: RepoContext): Forge {
  const { owner, repo } = context.repo();
  // Probot's Octokit carries the same rest, paginate and request the forge calls.
  return new GitHubForge(context.octokit as unknown as ForgeOctokit, { owner, repo });
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
