/**
 * What every handler needs from a Probot context: the forge over `context.octokit` and the
 * repository's validated config.
 */
import type { Context } from "probot";
import { parse as parseYaml } from "yaml";
import { CONFIG_FILE, CONFIG_PATH, type HandoffConfig, parseHandoffConfig } from "../config/schema.js";
import { ConfigError, ForgeError } from "../errors.js";
import type { ConfigProblem } from "../flows/llm-tasks/events.js";
import { type ForgeOctokit, GitHubForge } from "../forge/github/index.js";
import type { BulkItem } from "../forge/github/graphql.js";
import type { ReadAhead } from "../forge/types.js";

type RepoContext = Pick<Context, "octokit" | "repo" | "config">;

/** The forge port over the installation's Octokit (throttling and retry included); one per delivery. */
export function forgeOf(context: RepoContext): GitHubForge {
  const { owner, repo } = context.repo();
  // Probot's Octokit carries the same rest, paginate, request and graphql the forge calls.
  return new GitHubForge(context.octokit as unknown as ForgeOctokit, { owner, repo });
}

/**
 * `.github/handoff.yml` with the semantics of Probot's `context.config()` (the repository's file, else
 * the organisation's `.github` repository's; `_extends` followed), validated with the one zod schema.
 * Both files are read in the one GraphQL request that also makes the handler's `reads` (the agent
 * folder, the comments, the queue), so a delivery pays one call where REST paid 2 + 1 + 1.
 * `_extends`, a file GraphQL cannot give, or a failed bulk read fall back to `context.config()` itself.
 * Returns the problems instead of throwing, so the handler can answer on its issue and do nothing else.
 */
export async function loadConfig(
  context: RepoContext,
  forge: GitHubForge = forgeOf(context),
  reads: ReadAhead = {},
): Promise<HandoffConfig | ConfigProblem> {
  let raw: unknown;
  try {
    raw = await readConfig(context, forge, reads);
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

async function readConfig(context: RepoContext, forge: GitHubForge, reads: ReadAhead): Promise<unknown> {
  const { owner, repo } = context.repo();
  const files: BulkItem[] = [{ kind: "file", repo: { owner, repo }, path: CONFIG_PATH }];
  // As the config plugin: the `.github` repository is the fallback of every other repository.
  if (repo !== ".github") files.push({ kind: "file", repo: { owner, repo: ".github" }, path: CONFIG_PATH });
  let values;
  try {
    values = await forge.prefetchWith(reads, files);
  } catch (error) {
    if (!(error instanceof ForgeError)) throw error;
    return context.config(CONFIG_FILE);
  }
  const [own, org] = values;
  if (own?.kind !== "file" || (own.file === null && files.length > 1 && org?.kind !== "file"))
    return context.config(CONFIG_FILE);
  const file = own.file ?? (org?.kind === "file" ? org.file : null);
  if (!file) return null;
  const where = `${file === own.file ? repo : ".github"}:${CONFIG_PATH}`;
  let config: unknown;
  try {
    config = parseYaml(file.content, { logLevel: "error" }) || {};
  } catch (error) {
    throw new Error(`configuration could not be parsed from ${owner}/${where} (invalid YAML)`, {
      cause: error,
    });
  }
  if (typeof config !== "object" || config === null || Array.isArray(config))
    throw new Error(`configuration could not be parsed from ${owner}/${where} (YAML is not an object)`);
  // `_extends` chains other repositories' files, merged by the plugin's rules: let it do that.
  if ("_extends" in config) return context.config(CONFIG_FILE);
  return config;
}
