/**
 * What every phase of the action starts from: the parsed inputs and runner context, the token (masked
 * in the log, dropped from the environment children inherit), a redactor that knows it, git with
 * per-command credentials, and the forge.
 */
import * as core from "@actions/core";
import { resolve } from "node:path";
import type { Forge } from "../forge/types.js";
import { Git } from "../git/git.js";
import { Redactor } from "../redaction/index.js";
import { type ActionContext, readContext } from "./context.js";
import { gitAuthOptions, tokenSecrets } from "./git-auth.js";
import { type ActionInputs, parseInputs } from "./inputs.js";

export interface Session {
  inputs: ActionInputs;
  context: ActionContext;
  /** The repository checkout the action works in. */
  repoDir: string;
  token: string;
  redactor: Redactor;
  /** git in `repoDir`, authenticated per command. */
  git: Git;
  /** The per-command git credentials, for the runner's own git calls. */
  gitAuth: ReturnType<typeof gitAuthOptions>;
  forge(): Promise<Forge>;
}

/** Writes a job sends without spacing before the throttling plugin's one-a-second pace applies. */
const ACTION_WRITE_BURST = 10;

/** The names a token may arrive under; all are removed from the environment once read. */
const TOKEN_VARIABLES = ["INPUT_GITHUB-TOKEN", "INPUT_GITHUB_TOKEN"];

export function openSession(env: NodeJS.ProcessEnv = process.env): Session {
  const inputs = parseInputs(env);
  const context = readContext(env);
  const token = inputs["github-token"] || env.GITHUB_TOKEN || env.GH_TOKEN || "";
  // Agents and playbook steps inherit this process's environment: the token must not be in it.
  for (const name of TOKEN_VARIABLES) delete env[name];
  const secrets = tokenSecrets(token);
  for (const secret of secrets) core.setSecret(secret);
  const redactor = new Redactor({ secrets });
  const gitAuth = gitAuthOptions(context.serverUrl, token);
  const repoDir = resolve(context.workspace, inputs["working-directory"]);
  let forge: Promise<Forge> | undefined;
  return {
    inputs,
    context,
    repoDir,
    token,
    redactor,
    git: new Git(repoDir, { redactor, ...gitAuth }),
    gitAuth,
    forge: () => (forge ??= githubForge(context, token)),
  };
}

/** The GitHub forge of the workflow's repository, over the REST API at `GITHUB_API_URL`. */
export async function githubForge(context: ActionContext, token: string): Promise<Forge> {
  const { GitHubForge, createOctokit } = await import("../forge/github/index.js");
  // A job writes a handful of times (status, PR, reviewers, evidence): no need to space them seconds apart.
  return new GitHubForge(
    createOctokit({ token, baseUrl: context.apiUrl, writeBurst: ACTION_WRITE_BURST }),
    context.repo,
  );
}
