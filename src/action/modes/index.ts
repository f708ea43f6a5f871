/** The `main` step: one mode per run of the action (action.yml's `mode` input). */
import type { ActionMode } from "../inputs.js";
import { type Session, openSession } from "../session.js";

const MODES: Record<ActionMode, () => Promise<{ default: (session: Session) => Promise<void> }>> = {
  run: () => import("./run.js"),
  cleanrun: () => import("./run.js"),
  test: () => import("./test.js"),
  checkpoint: () => import("./checkpoint.js"),
  rollback: () => import("./rollback.js"),
  "sync-tasks": () => import("./queue.js").then((m) => ({ default: m.syncTasksMode })),
  "fetch-results": () => import("./queue.js").then((m) => ({ default: m.fetchResultsMode })),
};

export default async function main(): Promise<void> {
  const session = openSession();
  await (await MODES[session.inputs.mode]()).default(session);
}
