import type { Command } from "commander";
import { Option } from "commander";
import * as output from "../output.js";
import { type ForgeFlags, addForgeOptions } from "../forge.js";

/**
 * `handoff tasks sync`: task graphs (seed 002's task context). The task files under `tasks.dir` become
 * one issue each and start themselves once their dependencies' issues are closed — what the app does on
 * a push to the default branch, here on demand: offline on the local forge (where a started task's agent
 * runs at once), or on GitHub in a workflow without the app.
 */
export function registerTasks(program: Command): void {
  const tasks = program
    .command("tasks")
    .description("Task graphs: task files (tasks.dir) become issues that start themselves");
  addForgeOptions(
    tasks
      .command("sync")
      .description(
        "Open one issue per task file, keep them current, report cycles, and start the tasks whose dependencies are closed",
      )
      .addOption(
        new Option("--ref <branch>", "read the task files at this branch (default: the default branch)"),
      ),
  )
    .addHelpText(
      "after",
      `
Task files: .handoff/tasks/*.yaml (config tasks.dir) with task_id, spec_name, title, description,
acceptance_criteria, dependencies, required_skill; the agent of a skill is config skills: (in
.github/handoff.yml). Run again, it changes nothing. On the local forge, closing a task's issue
(handoff issue close N) syncs as well, as the app does on GitHub.`,
    )
    .action(async (flags: ForgeFlags & { ref?: string }) => {
      const { syncTasksNow } = await import("../local-events.js");
      const lines = await syncTasksNow(flags, flags.ref);
      for (const line of lines.length ? lines : ["task graph: nothing to do"]) output.printLine(line);
    });
}
