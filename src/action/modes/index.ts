/** The `main` step: one mode per run of the action (action.yml's `mode` input). */
import { UsageError } from "../../errors.js";
import type { ActionMode } from "../inputs.js";
import { type Session, openSession } from "../session.js";

const MODES: Record<ActionMode, () => Promise<{ default: (session: Session) => Promise<void> }>> = {
  run: () => import("./run.js"),
  cleanrun: () => import("./run.js"),
  test: () => import("./test.js"),
  checkpoint: () => import("./checkpoint.js"),
  rollback: () => import("./rollback.js"),
  "sync-tasks": unavailable("sync-tasks", "queue sync"),
  "fetch-results": unavailable("fetch-results", "queue pull"),
};

function unavailable(mode: string, command: string): () => never {
  return () => {
    throw new UsageError(
      `mode ${mode} needs the \`handoff ${command}\` flow, which this version of Handoff does not have yet`,
    );
  };
}

export default async function main(): Promise<void> {
  const session = openSession();
  await (await MODES[session.inputs.mode]()).default(session);
}
