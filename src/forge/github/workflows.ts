/** The GitHub forge's workflow runs: dispatch, list, get and cancel, through the Actions REST API. */
import { UsageError } from "../../errors.js";
import type { DispatchInput, WorkflowRun, WorkflowRunsQuery } from "../types.js";
import { type GitHubApi, PER_PAGE, call, toWorkflowRun } from "./map.js";

export async function dispatchWorkflow(api: GitHubApi, input: DispatchInput): Promise<void> {
  for (const [name, value] of Object.entries(input.inputs)) {
    if (typeof value !== "string") throw new UsageError(`workflow input ${name} must be a string`);
  }
  await call(`dispatch workflow ${input.workflow} on ${input.ref} of ${api.where}`, () =>
    api.octokit.rest.actions.createWorkflowDispatch({
      ...api.repo,
      workflow_id: input.workflow,
      ref: input.ref,
      inputs: input.inputs,
    }),
  );
}

export async function listWorkflowRuns(
  api: GitHubApi,
  query: WorkflowRunsQuery = {},
): Promise<WorkflowRun[]> {
  const op = `list workflow runs${query.workflow ? ` of ${query.workflow}` : ""} in ${api.where}`;
  const filters = {
    ...api.repo,
    ...(query.branch ? { branch: query.branch } : {}),
    ...(query.status ? { status: query.status as "queued" } : {}),
    per_page: PER_PAGE,
  };
  if (query.limit !== undefined) {
    // The newest runs only: one page, never the repository's whole history.
    const page = { ...filters, per_page: Math.max(1, Math.min(query.limit, PER_PAGE)) };
    const { data } = query.workflow
      ? await call(op, () =>
          api.octokit.rest.actions.listWorkflowRuns({ ...page, workflow_id: query.workflow ?? "" }),
        )
      : await call(op, () => api.octokit.rest.actions.listWorkflowRunsForRepo(page));
    return (data.workflow_runs as unknown[]).slice(0, query.limit).map((item) => toWorkflowRun(item, op));
  }
  const items = query.workflow
    ? await call(op, () =>
        api.octokit.paginate(api.octokit.rest.actions.listWorkflowRuns, {
          ...filters,
          workflow_id: query.workflow ?? "",
        }),
      )
    : await call(op, () => api.octokit.paginate(api.octokit.rest.actions.listWorkflowRunsForRepo, filters));
  return items.map((item) => toWorkflowRun(item, op));
}

export async function getWorkflowRun(api: GitHubApi, runId: number): Promise<WorkflowRun> {
  const op = `get workflow run ${runId} of ${api.where}`;
  const { data } = await call(op, () =>
    api.octokit.rest.actions.getWorkflowRun({ ...api.repo, run_id: runId }),
  );
  return toWorkflowRun(data, op);
}

export async function cancelWorkflowRun(api: GitHubApi, runId: number): Promise<void> {
  await call(`cancel workflow run ${runId} of ${api.where}`, () =>
    api.octokit.rest.actions.cancelWorkflowRun({ ...api.repo, run_id: runId }),
  );
}
