/**
 * The CLI's one way to a forge: `--forge local|github` (default local) on every command that touches
 * one. `github` reads the Actions conventions (GITHUB_REPOSITORY, GITHUB_TOKEN or GH_TOKEN,
 * GITHUB_API_URL, GITHUB_SERVER_URL); `local` is the repository's local forge. Octokit loads only when
 * `github` is chosen.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { Option } from "commander";
import { UsageError } from "../errors.js";
import type { Forge, LocalForgeOptions } from "../forge/index.js";

export interface ForgeFlags {
  forge?: string;
  repo?: string;
  /** Local forge only: act as this login (default `HANDOFF_USER`, else the OS user). */
  as?: string;
}

/** Adds `--forge`, `--repo` and `--as` to a command. */
export function addForgeOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--forge <kind>", "forge: local (files under .git/handoff/forge) or github (GITHUB_* env)")
        .choices(["local", "github"])
        .default("local"),
    )
    .option("--repo <dir>", "repository (default: the current directory)")
    .option("--as <login>", "local forge: act as this user (default $HANDOFF_USER, else the OS user)");
}

/** Opens the forge the flags name. */
export async function openForge(flags: ForgeFlags, options: LocalForgeOptions = {}): Promise<Forge> {
  if (flags.forge === "github") {
    if (flags.as) throw new UsageError("--as is for the local forge; on GitHub you act as the token's user");
    const { githubForgeFromEnv } = await import("../forge/github/index.js");
    return githubForgeFromEnv(process.env);
  }
  const { LocalForge } = await import("../forge/index.js");
  return LocalForge.open(resolve(flags.repo ?? process.cwd()), {
    ...options,
    ...(flags.as ? { actor: flags.as } : {}),
  });
}
