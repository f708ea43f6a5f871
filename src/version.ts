/** Replaced with the package version by the esbuild bundle; "dev" when run from source. */
export const VERSION: string = process.env.HANDOFF_BUILD_VERSION ?? "0.0.0-dev";
