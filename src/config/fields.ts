/** Field schemas that more than one part of `.github/handoff.yml` uses. */
import { z } from "zod";

/**
 * A folder inside the repository: relative, no `..`, so a config cannot point Handoff outside it.
 * A trailing slash is dropped.
 */
export const RepoFolder = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes("..") && !p.includes("\\"), {
    message: "must be a relative path inside the repository (no leading /, no ..)",
  })
  .transform((p) => p.replace(/\/+$/, ""));
