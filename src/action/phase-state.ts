/**
 * The note the action's steps leave each other in `RUNNER_TEMP`: what the run is about and how far
 * `main` got, so the last `if: always()` step can put the issue's status comment in a final state
 * when `main` failed, timed out or was cancelled before it could.
 */
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { writeFileAtomic } from "../util/fs.js";

export const PhaseStateSchema = z.object({
  mode: z.string(),
  issue: z.number().int().positive().optional(),
  agent: z.string().optional(),
  branch: z.string().optional(),
  /** `started`: main is working; `finished`: main wrote its final comment and outputs. */
  stage: z.enum(["planned", "started", "finished"]),
  runUrl: z.string().optional(),
});
export type PhaseState = z.infer<typeof PhaseStateSchema>;

export function readPhaseState(file: string): PhaseState | null {
  if (!existsSync(file)) return null;
  const parsed = PhaseStateSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  return parsed.success ? parsed.data : null;
}

export async function writePhaseState(file: string, state: PhaseState): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(PhaseStateSchema.parse(state))}\n`);
}
