/**
 * Task files become issues and start themselves. On each push (and when a task's issue closes) the
 * flow reads the task files at the default branch, opens one issue per task (marker by `task_id`, so a
 * re-push opens nothing), keeps their bodies current (acceptance criteria as a checklist whose ticks
 * survive, links to the issues they depend on), reports an unknown dependency or a cycle once on the
 * task's issue, and labels a task `agent:<agent for its skill>` and starts it once every dependency's
 * issue is closed.
 */
import { HandoffError } from "../../errors.js";
import { marker } from "../../forge/markers.js";
import type { Forge, ForgeIssue } from "../../forge/types.js";
import { parseWith, parseYamlText } from "../../util/validate.js";
import { checkAgentAt } from "../agent-runs/agent-check.js";
import type { AgentRunsConfig } from "../agent-runs/config.js";
import { agentOfLabel } from "../agent-runs/label.js";
import { startRun } from "../agent-runs/start.js";
import { dependencyOrder, graphProblems } from "./graph.js";
import { type Task, TaskFileSchema } from "./schema.js";

/** Every task issue carries this label, so one filtered list finds them all. */
export const TASK_LABEL = {
  name: "handoff:task",
  color: "5319e7",
  description: "A Handoff task from a task file",
};

/** More task files than this is not a task graph a person reads; refuse rather than open hundreds of issues. */
const MAX_TASKS = 500;

export function taskMarker(taskId: string): string {
  return marker("task", { id: taskId });
}

export interface TaskSyncReport {
  created: { taskId: string; issue: number }[];
  updated: number[];
  started: { taskId: string; issue: number; agent: string }[];
  /** Files that could not be read as tasks, and task problems (also written on the task's issue). */
  problems: { file?: string; taskId?: string; message: string }[];
}

export interface TaskSyncOptions {
  /** Ref to read the task files at (default: the default branch). */
  ref?: string;
  /** Who the started runs are attributed to (default `handoff`). */
  requestedBy?: string;
  log?: (line: string) => void;
}

export async function syncTaskGraph(
  forge: Forge,
  config: AgentRunsConfig,
  options: TaskSyncOptions = {},
): Promise<TaskSyncReport> {
  const report: TaskSyncReport = { created: [], updated: [], started: [], problems: [] };
  const log = options.log ?? (() => {});
  const tasks = await readTasks(forge, config.tasks.dir, options.ref, report);
  if (!tasks.length) return report;

  const issues = await forge.listIssues({ labels: [TASK_LABEL.name], state: "all" });
  const issueOf = new Map<string, ForgeIssue>();
  for (const task of tasks) {
    const found = issues.find((i) => i.body.includes(taskMarker(task.task_id)));
    if (found) issueOf.set(task.task_id, found);
  }
  // Dependencies first, so a new task's body links to issues that exist.
  for (const task of dependencyOrder(tasks)) {
    if (issueOf.has(task.task_id)) continue;
    const created = await forge.createIssue({
      title: taskTitle(task),
      body: renderTaskBody(task, issueOf),
      labels: [TASK_LABEL],
    });
    issueOf.set(task.task_id, created);
    report.created.push({ taskId: task.task_id, issue: created.number });
    log(`task ${task.task_id}: opened #${created.number}`);
  }
  // Bodies that say something new: an edited task file, or a link a cycle could not give at creation.
  for (const task of tasks) {
    const existing = issueOf.get(task.task_id)!;
    const title = taskTitle(task);
    const body = keepTicks(existing.body, renderTaskBody(task, issueOf));
    if (existing.title === title && normalise(existing.body) === normalise(body)) continue;
    issueOf.set(task.task_id, await forge.updateIssue(existing.number, { title, body }));
    report.updated.push(existing.number);
  }

  const problems = new Map(graphProblems(tasks).map((p) => [p.taskId, p.message]));
  const reportOnce = async (task: Task, message: string) => {
    const issue = issueOf.get(task.task_id)!;
    const hidden = marker("task-problem", { id: task.task_id });
    await forge.upsertComment(
      issue.number,
      hidden,
      `${hidden}\n⚠️ Task \`${task.task_id}\` cannot start: it ${message}.\n\nFix \`${task.file}\`; the next push checks again.`,
    );
    report.problems.push({ taskId: task.task_id, file: task.file, message });
  };

  for (const task of tasks) {
    const issue = issueOf.get(task.task_id)!;
    const problem = problems.get(task.task_id);
    if (problem) {
      await reportOnce(task, problem);
      continue;
    }
    if (issue.state !== "open" || alreadyStarted(config, issue)) continue;
    if (!task.dependencies.every((d) => issueOf.get(d)?.state === "closed")) continue;
    const agent = config.skills[task.required_skill];
    if (!agent) {
      await reportOnce(
        task,
        `needs skill ${task.required_skill}, and .github/handoff.yml maps no agent to it (skills:)`,
      );
      continue;
    }
    const checked = await checkAgentAt(forge, agent, options.ref);
    if (!checked.ok) {
      await reportOnce(task, `needs agent ${agent}, which cannot run: ${checked.message}`);
      continue;
    }
    // The label shows who works on it; the app's own label event is ignored, so the run starts here.
    await forge.addLabels(issue.number, [`${config.agents.label_prefix}${agent}`]);
    const outcome = await startRun(forge, config, {
      issue: issue.number,
      agent,
      reason: "label",
      requestedBy: options.requestedBy ?? "handoff",
      ...(options.ref ? { defaultBranch: options.ref } : {}),
    });
    if (outcome.kind === "started") {
      report.started.push({ taskId: task.task_id, issue: issue.number, agent });
      log(`task ${task.task_id}: started ${agent} on #${issue.number}`);
    }
  }
  return report;
}

/** A task that carries an agent label or the running label was started before. */
function alreadyStarted(config: AgentRunsConfig, issue: ForgeIssue): boolean {
  return issue.labels.some((l) => l === config.agents.running_label || agentOfLabel(config, l) !== null);
}

async function readTasks(
  forge: Forge,
  dir: string,
  ref: string | undefined,
  report: TaskSyncReport,
): Promise<Task[]> {
  const entries = (await forge.listDirectory(dir, ref)) ?? [];
  const files = entries
    .filter((e) => e.type === "file" && /\.ya?ml$/.test(e.name))
    .sort((a, b) => a.path.localeCompare(b.path));
  if (files.length > MAX_TASKS) {
    report.problems.push({ file: dir, message: `${files.length} task files; at most ${MAX_TASKS} are read` });
    files.length = MAX_TASKS;
  }
  const tasks: Task[] = [];
  const seen = new Map<string, string>();
  for (const entry of files) {
    const file = await forge.readFile(entry.path, ref);
    if (!file) continue;
    try {
      const task = parseWith(TaskFileSchema, parseYamlText(file.content, entry.path), entry.path);
      const first = seen.get(task.task_id);
      if (first) {
        report.problems.push({
          file: entry.path,
          message: `${entry.path}: task_id ${task.task_id} is also in ${first}`,
        });
        continue;
      }
      seen.set(task.task_id, entry.path);
      tasks.push({ ...task, file: entry.path });
    } catch (error) {
      if (!(error instanceof HandoffError)) throw error;
      report.problems.push({ file: entry.path, message: error.message });
    }
  }
  return tasks;
}

export function taskTitle(task: Task): string {
  return `[${task.task_id}] ${task.title}`;
}

/** The issue body of a task: its facts, description, checklist and links to what it depends on. */
export function renderTaskBody(task: Task, issueOf: ReadonlyMap<string, ForgeIssue>): string {
  const criteria = task.acceptance_criteria.map((c) => `- [ ] ${c.replace(/\r?\n/g, " ")}`);
  const deps = task.dependencies.map((d) => {
    const issue = issueOf.get(d);
    return issue ? `- #${issue.number} (task \`${d}\`)` : `- task \`${d}\` (no such task)`;
  });
  return [
    taskMarker(task.task_id),
    `**Spec** \`${task.spec_name}\` · **task** \`${task.task_id}\` · **skill** \`${task.required_skill}\``,
    "",
    task.description.trim() || "_No description._",
    ...(criteria.length ? ["", "### Acceptance criteria", "", ...criteria] : []),
    ...(deps.length ? ["", "### Depends on", "", ...deps] : []),
    "",
    `<sub>From \`${task.file}\`. When every issue it depends on is closed, Handoff labels it with the agent for skill \`${task.required_skill}\` and starts it.</sub>`,
    "",
  ].join("\n");
}

/** Ticks are people's progress: compare bodies without them. */
function normalise(body: string): string {
  return body.replace(/^- \[[xX]\] /gm, "- [ ] ").replace(/\r\n/g, "\n");
}

/** `next` with the ticks of `previous` kept on criteria whose text did not change. */
function keepTicks(previous: string, next: string): string {
  const ticked = new Set(
    previous
      .split(/\r?\n/)
      .filter((l) => /^- \[[xX]\] /.test(l))
      .map((l) => l.slice(6)),
  );
  return next
    .split("\n")
    .map((l) => (l.startsWith("- [ ] ") && ticked.has(l.slice(6)) ? `- [x] ${l.slice(6)}` : l))
    .join("\n");
}
