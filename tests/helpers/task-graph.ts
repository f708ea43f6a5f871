/** A task file of the task-graph format (`.handoff/tasks/*.yaml`) for tests, with two acceptance criteria. */
export function taskYaml(id: string, deps: string[] = [], skill = "backend"): string {
  return [
    `task_id: "${id}"`,
    "spec_name: chat-app",
    `title: Task ${id}`,
    "description: Build it.",
    "acceptance_criteria:",
    `  - ${id} has a test`,
    `  - ${id} is documented`,
    `dependencies: [${deps.map((d) => `"${d}"`).join(", ")}]`,
    `required_skill: ${skill}`,
    "",
  ].join("\n");
}
