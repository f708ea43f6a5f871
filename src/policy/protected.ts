/**
 * Protected paths: files an iteration's change may not touch, because they decide what runs next with
 * more privilege than the agent has — CI workflows, Handoff's own configuration and agent
 * definitions, git's submodule and attribute files, install hooks. They are checked on the diff
 * before every commit (a hit ends the run `deny` and the change goes to a quarantine ref, never
 * pushed) and on the paths of Claude Code's file tools.
 */

/** The default list (a policy file's `protected_paths` replaces it). Globs: `*` in a name, `**` any depth. */
export const DEFAULT_PROTECTED_PATHS: readonly string[] = [
  ".github/workflows/**",
  ".github/actions/**",
  ".github/handoff.yml",
  ".github/handoff.yaml",
  ".github/CODEOWNERS",
  ".handoff/**",
  "agents/**",
  ".gitmodules",
  ".gitattributes",
  ".husky/**",
  ".npmrc",
  ".yarnrc",
  ".yarnrc.yml",
];

const cache = new Map<string, RegExp>();

/** A path glob: `**` matches any number of segments, `*` and `?` stay inside one segment. */
function pathGlob(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      const slash = glob[i + 2] === "/";
      source += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  // Case-insensitive: on macOS and Windows `.GitHub/Workflows` is the same directory.
  re = new RegExp(`^${source}$`, "i");
  cache.set(glob, re);
  return re;
}

/** The first protected glob that `path` (relative to the worktree, `/`-separated) matches, or null. */
export function protectedBy(path: string, globs: readonly string[]): string | null {
  const clean = path.replace(/\\/g, "/").replace(/^(\.\/)+/, "");
  return globs.find((glob) => pathGlob(glob).test(clean)) ?? null;
}

/** Every path of `paths` that a protected glob matches, with the glob. */
export function protectedHits(
  paths: readonly string[],
  globs: readonly string[],
): { path: string; glob: string }[] {
  return paths.flatMap((path) => {
    const glob = protectedBy(path, globs);
    return glob ? [{ path, glob }] : [];
  });
}
