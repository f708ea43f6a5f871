import { Option } from "commander";
import type { Forge } from "../forge/types.js";

export type ForgeKind = "local" | "github";

/** `--forge local|github` (default local): every command that touches a forge takes it. */
export function forgeOption(): Option {
  return new Option(
    "--forge <forge>",
    "local: the repository's local forge (offline); github: GITHUB_REPOSITORY with GITHUB_TOKEN/GH_TOKEN",
  )
    .choices(["local", "github"])
    .default("local");
}

/**
 * The forge a command works on. `github` reads the Actions conventions (GITHUB_REPOSITORY, GITHUB_TOKEN
 * or GH_TOKEN, GITHUB_API_URL, GITHUB_SERVER_URL); `local` is the forge of the repository at `cwd`.
 * Loaded lazily: Octokit is large and only `--forge github` needs it.
 */
export async function openForge(
  kind: ForgeKind,
  cwd: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<Forge> {
  if (kind === "github") return (await import("../forge/github/index.js")).githubForgeFromEnv(env);
  return (await import("../forge/local/forge.js")).LocalForge.open(cwd);
}
