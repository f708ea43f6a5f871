import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HandoffError } from "../errors.js";
import { fenced } from "../flows/llm-tasks/issue.js";
import { Git } from "../git/git.js";
import { demoEnv, run, type Stage } from "./shared.js";

/**
 * Act 1, steps 1–4: the example pipeline makes two LLM calls in THINK mode and stops (exit 75); the demo
 * answers both tasks (canned answers) on the local forge — queue push, sync to issues, `/complete`
 * comments, queue pull — as a GitHub repository would; the same command runs again and finishes. Returns the release notes the pipeline printed, which act 2 hands to an agent.
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

  say(`Step 3/${total}  Answer both tasks the way a GitHub repository does, on the local forge (offline):`);
  say("          the queue goes to its branch, each task becomes an issue, and a /complete comment on");
  say("          an issue answers it through the same handler the GitHub App runs.");
  say("          The answers are CANNED (examples/release-notes.answers.json), written by the demo; in real");
  say("          use an agent or a person writes them, following the runbook quoted in each issue.");
  await localRepository(dir);
  say("  (the folder is now a git repository: the local forge keeps its issues in its git dir)");
  say("  $ handoff queue push");
  const push = await handoff(["queue", "push"]);
  expect(push, 0, "handoff queue push");
  indent(push.stdout);
  say("  $ handoff queue sync");
  const sync = await handoff(["queue", "sync", "--json"]);
  expect(sync, 0, "handoff queue sync");
  const { created } = JSON.parse(sync.stdout) as { created: { id: string; issue: number }[] };
  for (const c of created) say(`    │ opened #${c.issue} for ${c.id}`);
  if (created.length !== tasks.length)
    throw new HandoffError(`demo: sync opened ${created.length} issues for ${tasks.length} tasks`);
  for (const { id, issue } of created) {
    const task = tasks.find((t) => t.id === id)!.task;
    const answer = answers[task];
    if (answer === undefined) throw new HandoffError(`demo: no canned answer for task ${task}`);
    const file = join(dir, `answer-${task}.md`);
    await writeFile(file, `/complete\n${fenced(answer)}\n`);
    say(`  $ handoff issue comment ${issue} --body-file answer-${task}.md    # "/complete" + the answer`);
    const done = await handoff(["issue", "comment", String(issue), "--body-file", file]);
    expect(done, 0, "handoff issue comment");
    indent(done.stdout);
  }
  say("  $ handoff queue pull");
  const pull = await handoff(["queue", "pull"]);
  expect(pull, 0, "handoff queue pull");
  indent(pull.stdout);
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

/** Makes the demo folder a git repository with one commit, so the local forge has a home. */
async function localRepository(dir: string): Promise<void> {
  const git = new Git(dir);
  await git.init({ initialBranch: "main" });
  // The identity is this repository's own, and nothing is signed (a global config might ask for it).
  await git.configSet("user.name", "Handoff demo");
  await git.configSet("user.email", "demo@handoff.invalid");
  await git.configSet("commit.gpgsign", "false");
  await writeFile(join(dir, ".gitignore"), "workspaces/\nanswer-*\nrepo/\n");
  await git.add([".gitignore"]);
  await git.commit("Start the pipeline's repository");
}
