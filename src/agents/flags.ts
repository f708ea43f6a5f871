// Dependency-free so that the CLI can build `handoff run` flags without loading the validators.

/** The default flag of a parameter: `maxIterations` → `--max-iterations`, `dry_run` → `--dry-run`. */
export function parameterFlag(name: string): string {
  return `--${name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/_/g, "-")
    .toLowerCase()}`;
}
