/**
 * The composite's first step: checks the inputs before anything is installed, says where the evidence
 * will be (for the artifact upload, which runs even when `main` is killed), and whether the agent's
 * CLI must be installed and at which pinned version.
 */
import * as core from "@actions/core";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { Git } from "../git/git.js";
import { HandoffState } from "../state/handoff-state.js";
import { planAgentCli } from "./agent-cli.js";
import { readContext } from "./context.js";
import { parseInputs } from "./inputs.js";
import { writePhaseState } from "./phase-state.js";

export default async function plan(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = parseInputs(env);
  const context = readContext(env);
  const repoDir = resolve(context.workspace, inputs["working-directory"]);
  const git = new Git(repoDir);
  const common = await git.commonDir().catch(() => {
    throw new UsageError(
      `input \`working-directory\` ${repoDir} is not a git repository: check the repository out first (actions/checkout)`,
    );
  });
  const state = new HandoffState(join(common, "handoff"));
  core.setOutput("evidence-dir", join(state.dir, "evidence"));

  let cli: ReturnType<typeof planAgentCli> = { needed: false, note: `mode ${inputs.mode} runs no agent` };
  if (inputs.mode === "run" || inputs.mode === "cleanrun") {
    const { defaultAgentRoots, findAgent } = await import("../agents/index.js");
    const agent = await findAgent(inputs.agent, defaultAgentRoots(repoDir));
    const runtime = agent.agent.runtime;
    cli = planAgentCli(runtime.adapter, runtime.command, {
      ...(inputs["agent-cli-version"] ? { version: inputs["agent-cli-version"] } : {}),
      env,
    });
  }
  // Modes that run playbook steps or a command agent, under bubblewrap when the policy's sandbox allows.
  core.setOutput("sandbox", String(["run", "cleanrun", "rollback"].includes(inputs.mode)));
  core.info(`handoff: ${cli.note}`);
  core.setOutput("cli-needed", String(cli.needed));
  if (cli.needed) {
    core.setOutput("cli-package", cli.package);
    core.setOutput("cli-version", cli.version);
    core.setOutput("cli-dir", cli.dir);
  }
  await writePhaseState(context.stateFile, {
    mode: inputs.mode,
    ...(inputs.issue ? { issue: inputs.issue } : {}),
    agent: inputs.agent,
    stage: "planned",
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
  });
}
