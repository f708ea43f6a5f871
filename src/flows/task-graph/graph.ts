/**
 * The dependency graph of tasks: which dependencies are unknown, which tasks sit on a cycle, and
 * which are ready (every dependency done). Pure; the sync flow feeds it what the forge says.
 */
import type { Task } from "./schema.js";

export interface GraphProblem {
  taskId: string;
  /** One line saying what is wrong, naming the tasks involved. */
  message: string;
}

/** Every unknown dependency and every task on a dependency cycle, one problem per task. */
export function graphProblems(tasks: readonly Task[]): GraphProblem[] {
  const byId = new Map(tasks.map((t) => [t.task_id, t]));
  const problems = new Map<string, string[]>();
  const add = (id: string, message: string) => problems.set(id, [...(problems.get(id) ?? []), message]);
  for (const task of tasks) {
    const unknown = task.dependencies.filter((d) => !byId.has(d));
    if (unknown.length)
      add(task.task_id, `depends on unknown task${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`);
    if (task.dependencies.includes(task.task_id)) add(task.task_id, "depends on itself");
  }
  for (const cycle of cycles(tasks, byId)) {
    if (cycle.length < 2) continue;
    const path = [...cycle, cycle[0]].join(" → ");
    for (const id of cycle) add(id, `is on a dependency cycle: ${path}`);
  }
  return [...problems].map(([taskId, messages]) => ({ taskId, message: messages.join("; ") }));
}

/** The strongly connected components with more than one task (Tarjan), each in a stable order. */
function cycles(tasks: readonly Task[], byId: Map<string, Task>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (id: string) => {
    order.set(id, index);
    low.set(id, index++);
    stack.push(id);
    onStack.add(id);
    for (const dep of byId.get(id)?.dependencies ?? []) {
      if (!byId.has(dep) || dep === id) continue;
      if (!order.has(dep)) {
        visit(dep);
        low.set(id, Math.min(low.get(id)!, low.get(dep)!));
      } else if (onStack.has(dep)) {
        low.set(id, Math.min(low.get(id)!, order.get(dep)!));
      }
    }
    if (low.get(id) !== order.get(id)) return;
    const component: string[] = [];
    let top: string;
    do {
      top = stack.pop()!;
      onStack.delete(top);
      component.push(top);
    } while (top !== id);
    if (component.length > 1) found.push(component.reverse());
  };
  for (const task of tasks) if (!order.has(task.task_id)) visit(task.task_id);
  return found;
}

/** Tasks in an order where dependencies come first (cycles broken arbitrarily but stably). */
export function dependencyOrder(tasks: readonly Task[]): Task[] {
  const byId = new Map(tasks.map((t) => [t.task_id, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: Task[] = [];
  const visit = (task: Task) => {
    if (done.has(task.task_id) || visiting.has(task.task_id)) return;
    visiting.add(task.task_id);
    for (const dep of task.dependencies) {
      const next = byId.get(dep);
      if (next) visit(next);
    }
    visiting.delete(task.task_id);
    done.add(task.task_id);
    out.push(task);
  };
  for (const task of tasks) visit(task);
  return out;
}
