// Source files load some packages lazily with `createRequire(import.meta.url)("pkg")`, which esbuild
// cannot follow. In a self-contained bundle a plain `require("pkg")` does the same job: esbuild inlines
// the package and still evaluates it only on first use.
import { readFile } from "node:fs/promises";

/** The esbuild plugin that turns those lazy requires into ones esbuild bundles. */
export const inlineLazyRequires = {
  name: "inline-lazy-requires",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /src[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes("createRequire(import.meta.url)(")) return undefined;
      return { contents: source.replaceAll("createRequire(import.meta.url)(", "require("), loader: "ts" };
    });
  },
};
