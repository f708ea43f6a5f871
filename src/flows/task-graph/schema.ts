/**
 * A task file: one job of a spec, with the tasks it depends on and the
 * skill it needs. Files live on the default branch under `tasks.dir` (default `.handoff/tasks`), one
 * task per `*.yaml` file; `handoff schema task` publishes this schema.
 */
import { z } from "zod";

export const TaskIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]{0,63}$/, "letters, digits, . _ - (at most 64), starting with a letter or digit");

export const TaskFileSchema = z
  .strictObject({
    /** Unique in the repository, e.g. `1.1`; the marker. */
    task_id: TaskIdSchema.describe("Unique id of the task, e.g. 1.1"),
    /** The spec the task belongs to, e.g. `chat-app`. */
    spec_name: z.string().min(1).describe("The spec the task belongs to"),
    title: z.string().min(1).max(200).describe("Issue title"),
    description: z.string().default("").describe("What to do (Markdown)"),
    /** Become the checklist. */
    acceptance_criteria: z.array(z.string().min(1)).default([]).describe("Checklist of what done means"),
    /** `task_id`s that must be done (their issues closed) before this one starts. */
    dependencies: z.array(TaskIdSchema).default([]).describe("task_ids that must be done first"),
    /** Picks the agent through the config's `skills:` map. */
    required_skill: z.string().min(1).describe("Skill the task needs; config skills: maps it to an agent"),
  })
  .describe("A Handoff task file (.handoff/tasks/*.yaml)");
export type TaskFile = z.infer<typeof TaskFileSchema>;

/** A task with where it was read from. */
export interface Task extends TaskFile {
  /** Repository path of its file. */
  file: string;
}
