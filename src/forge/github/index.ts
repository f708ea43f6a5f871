/**
 * The GitHub forge from the Actions conventions, for the CLI and the Action:
 * `GITHUB_REPOSITORY` (`owner/name`), `GITHUB_TOKEN` or `GH_TOKEN`, `GITHUB_API_URL` (GHES:
 * `https://ghe.example.com/api/v3`), `GITHUB_SERVER_URL` (used to derive the API URL of a GHES host
 * when `GITHUB_API_URL` is not set).
 */
import { UsageError } from "../../errors.js";
import type { RepoRef } from "../types.js";
import { GitHubForge } from "./forge.js";
import { type OctokitOptions, createOctokit } from "./octokit.js";

export { GitHubForge } from "./forge.js";
export { type ForgeOctokit, type OctokitOptions, createOctokit } from "./octokit.js";

/** `owner/name` → RepoRef, or a UsageError naming `source`. */
export function parseRepository(value: string, source: string): RepoRef {
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(value.trim());
  if (!match?.[1] || !match[2]) {
    throw new UsageError(`${source} must be owner/name (e.g. octo-org/app), got ${JSON.stringify(value)}`);
  }
  return { owner: match[1], repo: match[2] };
}

/** The REST API root for these variables: `GITHUB_API_URL`, else derived from a GHES server URL. */
export function apiUrlFromEnv(env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_API_URL) return env.GITHUB_API_URL.replace(/\/+$/, "");
  const server = env.GITHUB_SERVER_URL?.replace(/\/+$/, "");
  if (!server || /^https:\/\/github\.com$/i.test(server)) return "https://api.github.com";
  return `${server}/api/v3`;
}

export interface GitHubForgeFromEnvOptions extends Omit<OctokitOptions, "token" | "baseUrl"> {
  /** Overrides `GITHUB_REPOSITORY`. */
  repository?: string;
}

export function githubForgeFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: GitHubForgeFromEnvOptions = {},
): GitHubForge {
  const repository = options.repository ?? env.GITHUB_REPOSITORY;
  if (!repository) {
    throw new UsageError("--forge github needs GITHUB_REPOSITORY=owner/name (set by GitHub Actions)");
  }
  const repo = parseRepository(repository, options.repository ? "--repo" : "GITHUB_REPOSITORY");
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) throw new UsageError("--forge github needs a token in GITHUB_TOKEN or GH_TOKEN");
  const { repository: _ignored, ...octokitOptions } = options;
  const octokit = createOctokit({ ...octokitOptions, token, baseUrl: apiUrlFromEnv(env) });
  return new GitHubForge(octokit, repo);
}
