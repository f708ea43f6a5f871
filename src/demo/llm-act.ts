import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HandoffError } from "../errors.js";
import { demoEnv, run, type Stage } from "./shared.js";

/**
 * Act 1, steps 1–4: the example pipeline makes two LLM calls in THINK mode and stops (exit 75); the demo
 * answers both tasks with `handoff queue complete` (canned answers); the same command runs again and
 * finishes. Returns the release notes the pipeline printed, which act 2 hands to an agent.
 */
export async function llmAct(stage: Stage, total: number): Promise<string> {
  const { dir, root, say, indent, handoff, expect } = stage;
  const pipeline = join(root, "examples", "release-notes.mjs");
  const answers = JSON.parse(
    await readFile(join(root, "examples", "release-notes.answers.json"), "utf8"),
  ) as Record<string, string>;

  say("Act 1: a pipeline's LLM calls handed to an agent and back.");
  say("");
  say(`Step 1/${total}  Run the example pipeline. No key is set and LLM_EXEC_SLOT=3 (THINK, the default),`);
  say("          so each LLM call becomes a pending LLM task instead of an API call.");
  say(`  $ node ${pipeline}`);
  const first = await run(process.execPath, [pipeline], dir, demoEnv());
  indent(first.stdout + first.stderr);
  expect(first, 75, "the first run");
  say(`  → exit code 75: the pipeline stopped, waiting for answers.`);
  say("");

  say(`Step 2/${total}  Look at the queue (workspaces/logs/agent_tasks/pending/).`);
  say("  $ handoff queue list --status pending");
  const list = await handoff(["queue", "list", "--status", "pending"]);
  expect(list, 0, "handoff queue list");
  indent(list.stdout);
  const tasks = JSON.parse((await handoff(["queue", "list", "--json"])).stdout) as {
    id: string;
    task: string;
  }[];
  if (tasks.length !== 2) throw new HandoffError(`demo: expected 2 pending tasks, found ${tasks.length}`);
  say("");

  say(`Step 3/${total}  Answer both tasks with \`handoff queue complete\`.`);
  say("          These answers are CANNED (examples/release-notes.answers.json), written by the demo.");
  say("          In real use an agent or a person answers, following the runbook named in each task");
  say("          (`handoff queue prompt ID` shows it with the messages).");
  for (const { id, task } of tasks) {
    const answer = answers[task];
    if (answer === undefined) throw new HandoffError(`demo: no canned answer for task ${task}`);
    const file = join(dir, `answer-${task}.txt`);
    await writeFile(file, answer);
    say(`  $ LLM_AGENT_NAME=demo-bot handoff queue complete ${id} --content-file answer-${task}.txt`);
    const done = await handoff(["queue", "complete", id, "--content-file", file], {
      env: { LLM_AGENT_NAME: "demo-bot" },
    });
    expect(done, 0, "handoff queue complete");
    indent(done.stdout);
  }
  say("");

  say(`Step 4/${total}  Rerun the same command. The answers are picked up and the pipeline finishes.`);
  say(`  $ node ${pipeline}`);
  const second = await run(process.execPath, [pipeline], dir, demoEnv());
  indent(second.stdout + second.stderr);
  expect(second, 0, "the rerun");
  say("  → exit code 0.");
  say("");
  const start = second.stdout.indexOf("# Release notes");
  if (start < 0) throw new HandoffError("demo: the pipeline printed no release notes");
  return `${second.stdout.slice(start).trim()}\n`;
}
