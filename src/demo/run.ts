import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { agentAct } from "./agent-act.js";
import { llmAct } from "./llm-act.js";
import { createStage } from "./shared.js";

/** The demo's story, told in steps. Later features add their steps to the same story. */
export interface DemoOptions {
  /** Keep the temp folder for a look around afterwards. */
  keep?: boolean;
  /** Where the story is told (default: stdout). */
  out?: (line: string) => void;
}

const STEPS = 8;

/**
 * `handoff demo`: one story in one temp folder, offline and without API keys. Act 1: a pipeline's LLM
 * calls become pending LLM tasks, are answered, and the rerun finishes. Act 2: the release notes it
 * printed become a job for an agent in a git repository, with checkpoints, policy and rollback.
 */
export async function runDemo(options: DemoOptions = {}): Promise<void> {
  const say = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dir = await mkdtemp(join(tmpdir(), "handoff-demo-"));
  const stage = createStage(dir, say);
  try {
    say("Handoff demo: work handed between a pipeline, agents and people (offline, no API keys)");
    say(`  working folder: ${dir}`);
    say("");
    const notes = await llmAct(stage, STEPS);
    await agentAct(stage, notes, 5, STEPS);
    say(
      options.keep
        ? `Done. The files are kept in ${dir}`
        : "Done. (Run `handoff demo --keep` to keep the working folder.)",
    );
  } finally {
    if (!options.keep) await rm(dir, { recursive: true, force: true });
  }
}
