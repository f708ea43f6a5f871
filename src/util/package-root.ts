import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/**
 * The folder of Handoff's own package.json, found by walking up from this module. It works from the
 * sources (tests), the bundle (`build/…`) and an installed package alike; shipped files such as
 * `runbooks/`, `agents/`, `policies/` and `examples/` are found from here. `from` starts the walk
 * elsewhere (tests use it to stand in for the bundle's location).
 */
export function packageRoot(from?: string): string {
  if (cached && from === undefined) return cached;
  let dir = dirname(from ?? fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "handoff"
    ) {
      if (from === undefined) cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error("cannot find Handoff's package.json above " + (from ?? fileURLToPath(import.meta.url)));
    dir = parent;
  }
}
