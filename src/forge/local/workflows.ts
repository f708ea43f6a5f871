/**
 * The local forge's workflow runs: a dispatch is recorded as a run, and with a dispatcher its work
 * runs at once in this process, the run record and `onWorkflowRun` telling how it went, as GitHub's
 * run page and `workflow_run` webhooks do.
 */
import { pathToFileURL } from "node:url";
import { ConflictError, NotFoundError } from "../../errors.js";
import { workflowRunTitle } from "../run-title.js";
import type { DispatchInput, WorkflowRun, WorkflowRunsQuery } from "../types.js";
import { type LocalRecords, now } from "./records.js";
import type { LocalStore, RunRecord } from "./store.js";

/** Who is told of a run's work and its progress (the forge's dispatcher and onWorkflowRun). */
export interface RunHooks {
  dispatch?: (runId: number) => Promise<void>;
  onWorkflowRun?: (action: "in_progress" | "completed", run: WorkflowRun) => Promise<void>;
}

/**
 * Records the dispatch as a workflow run and, with a dispatcher, runs the work at once. As on
 * GitHub, the dispatch itself succeeds whatever the work does; the run record says how it ended.
 */
export async function dispatchWorkflow(
  records: LocalRecords,
  input: DispatchInput,
  hooks: RunHooks,
): Promise<void> {
  const { store } = records;
  const run = await store.locked(async () => {
    const time = now();
    const record: RunRecord = {
      id: await store.next("id"),
      workflow: input.workflow,
      ref: input.ref,
      inputs: { ...input.inputs },
      actor: records.actor,
      status: "queued",
      conclusion: null,
      createdAt: time,
      updatedAt: time,
    };
    await store.writeRun(record);
    return record;
  });
  if (!hooks.dispatch) return;
  const started: RunRecord = { ...run, status: "in_progress", updatedAt: now() };
  await store.writeRun(started);
  await hooks.onWorkflowRun?.("in_progress", toRun(store, started));
  let conclusion = "success";
  let error: string | undefined;
  try {
    await hooks.dispatch(run.id);
  } catch (failure) {
    conclusion = "failure";
    error = failure instanceof Error ? failure.message : String(failure);
  }
  const latest = (await store.readRun(run.id)) ?? run;
  if (latest.status === "completed") return; // cancelled meanwhile (which told onWorkflowRun)
  const ended: RunRecord = {
    ...latest,
    status: "completed",
    conclusion,
    ...(error ? { error } : {}),
    updatedAt: now(),
  };
  await store.writeRun(ended);
  await hooks.onWorkflowRun?.("completed", toRun(store, ended));
}

export async function listWorkflowRuns(
  store: LocalStore,
  query: WorkflowRunsQuery = {},
): Promise<WorkflowRun[]> {
  const runs = (await store.allRuns())
    .filter((r) => !query.workflow || r.workflow === query.workflow)
    .filter((r) => !query.branch || r.ref === query.branch)
    .filter((r) => !query.status || r.status === query.status || r.conclusion === query.status)
    .sort((a, b) => b.id - a.id)
    .map((r) => toRun(store, r));
  return query.limit === undefined ? runs : runs.slice(0, Math.max(1, Math.min(query.limit, 100)));
}

export async function getWorkflowRun(store: LocalStore, runId: number): Promise<WorkflowRun> {
  const run = await store.readRun(runId);
  if (!run) throw new NotFoundError(`local forge: workflow run ${runId} not found`);
  return toRun(store, run);
}

export async function cancelWorkflowRun(store: LocalStore, runId: number, hooks: RunHooks): Promise<void> {
  const cancelled = await store.locked(async () => {
    const run = await store.readRun(runId);
    if (!run) throw new NotFoundError(`local forge: workflow run ${runId} not found`);
    // GitHub answers 409 for a run that already finished.
    if (run.status === "completed")
      throw new ConflictError(`local forge: workflow run ${runId} already completed`);
    const ended: RunRecord = { ...run, status: "completed", conclusion: "cancelled", updatedAt: now() };
    await store.writeRun(ended);
    return ended;
  });
  await hooks.onWorkflowRun?.("completed", toRun(store, cancelled));
}

function toRun(store: LocalStore, r: RunRecord): WorkflowRun {
  return {
    id: r.id,
    workflow: r.workflow,
    name: r.workflow.replace(/\.ya?ml$/, ""),
    displayTitle: workflowRunTitle(r.workflow, r.inputs),
    event: "workflow_dispatch",
    status: r.status,
    conclusion: r.conclusion,
    headBranch: r.ref,
    url: pathToFileURL(store.file("runs", `${r.id}.json`)).href,
    createdAt: r.createdAt,
    ...(r.error ? { error: r.error } : {}),
  };
}
