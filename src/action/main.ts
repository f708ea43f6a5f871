/**
 * The action's entry: `node dist/action.js <phase>`, one phase per composite step (`plan`, `main`,
 * `post`). Every failure ends here as one clear `core.setFailed` line; deeper code throws errors that
 * name the input, file or operation at fault.
 */
import * as core from "@actions/core";
import { UsageError } from "../errors.js";

const PHASES: Record<string, () => Promise<{ default: () => Promise<void> }>> = {
  plan: () => import("./plan.js"),
  main: () => import("./modes/index.js"),
  post: () => import("./post.js"),
};

export async function run(phase: string = process.argv[2] ?? "main"): Promise<void> {
  try {
    const load = PHASES[phase];
    if (!load) throw new UsageError(`unknown phase ${JSON.stringify(phase)}: use plan, main or post`);
    await (await load()).default();
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
