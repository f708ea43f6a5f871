import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HandoffError } from "../errors.js";
import { packageRoot } from "../util/package-root.js";

/** The demo's story, told in steps. Later features add their steps to the same story. */
export interface DemoOptions {
  /** Keep the temp folder for a look around afterwards. */
  keep?: boolean;
  /** Where the story is told (default: stdout). */
  out?: (line: string) => void;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Variables that would change what the demo shows: keys, modes, queue and runbook overrides. */
const SCRUBBED = /^(LLM_|HANDOFF_|OPENAI_|ANTHROPIC_)/;

function demoEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!SCRUBBED.test(key)) env[key] = value;
  return { ...env, LLM_EXEC_SLOT: "3", ...extra };
}

function run(program: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `handoff demo`: in a temp folder, with no API keys, the example pipeline makes two LLM calls in THINK
 * mode and stops (exit 75); the demo answers both tasks with `handoff queue complete` (canned answers);
 * the same command runs again and finishes.
 */
export async function runDemo(options: DemoOptions = {}): Promise<void> {
  const say = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const indent = (text: string): void => {
    for (const line of text.trim().split("\n")) say(`    │ ${line}`.trimEnd());
  };
  const root = packageRoot();
  const cli = join(root, "build", "cli.js");
  const pipeline = join(root, "examples", "release-notes.mjs");
  const answers = JSON.parse(
    await readFile(join(root, "examples", "release-notes.answers.json"), "utf8"),
  ) as Record<string, string>;
  const dir = await mkdtemp(join(tmpdir(), "handoff-demo-"));
  const handoff = (args: string[], extra: Record<string, string> = {}): Promise<Ran> =>
    run(process.execPath, [cli, ...args], dir, demoEnv(extra));
  const expect = (ran: Ran, code: number, what: string): void => {
    if (ran.code !== code) {
      indent(ran.stdout + ran.stderr);
      throw new HandoffError(`demo: ${what} exited ${ran.code}, expected ${code}`);
    }
  };

  try {
    say("Handoff demo: a pipeline's LLM calls handed to an agent and back (offline, no API keys)");
    say(`  working folder: ${dir}`);
    say("");
    say("Step 1/4  Run the example pipeline. No key is set and LLM_EXEC_SLOT=3 (THINK, the default),");
    say("          so each LLM call becomes a pending LLM task instead of an API call.");
    say(`  $ node ${pipeline}`);
    const first = await run(process.execPath, [pipeline], dir, demoEnv());
    indent(first.stdout + first.stderr);
    expect(first, 75, "the first run");
    say(`  → exit code 75: the pipeline stopped, waiting for answers.`);
    say("");

    say("Step 2/4  Look at the queue (workspaces/logs/agent_tasks/pending/).");
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

    say("Step 3/4  Answer both tasks with `handoff queue complete`.");
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
        LLM_AGENT_NAME: "demo-bot",
      });
      expect(done, 0, "handoff queue complete");
      indent(done.stdout);
    }
    say("");

    say("Step 4/4  Rerun the same command. The answers are picked up and the pipeline finishes.");
    say(`  $ node ${pipeline}`);
    const second = await run(process.execPath, [pipeline], dir, demoEnv());
    indent(second.stdout + second.stderr);
    expect(second, 0, "the rerun");
    say("  → exit code 0.");
    say("");
    say(
      options.keep
        ? `Done. The files are kept in ${dir}`
        : "Done. (Run `handoff demo --keep` to keep the working folder.)",
    );
  } finally {
    if (!options.keep) await rm(dir, { recursive: true, force: true });
  }
}
