// The cost Handoff adds around each playbook step (process group, output capture, tail, redaction
// hook) compared with spawning the same `sh -c true` directly; the cost of the OS sandbox (bubblewrap)
// per step over that bare spawn (target ≤ 30 ms median); plus agent validation time.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkAgent } from "../src/agents/load.js";
import { listAgents, packageAgentsDir } from "../src/agents/find.js";
import { runPlaybook } from "../src/playbooks/run.js";
import { parsePlaybook } from "../src/playbooks/schema.js";
import { probeSandbox } from "../src/sandbox/bwrap.js";
import { type Benchmark, median, percentile, timeMs } from "./lib.js";

const ROUNDS = 40;

function spawnTrue(cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", "true"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    child.on("error", reject);
    child.on("close", () => resolve());
  });
}

const bench: Benchmark = {
  name: "playbook",
  async run() {
    const cwd = await mkdtemp(join(tmpdir(), "handoff-bench-"));
    try {
      const playbook = parsePlaybook({ name: "b", steps: [{ name: "t", command: "true" }] }, "bench");
      const raw: number[] = [];
      const step: number[] = [];
      const sandboxed: number[] = [];
      const sandbox = await probeSandbox();
      for (let i = 0; i < ROUNDS; i++) {
        // Interleaved so that machine load affects every variant alike.
        raw.push(await timeMs(() => spawnTrue(cwd)));
        step.push(await timeMs(() => runPlaybook(playbook, { cwd, sandbox: "off" })));
        if (sandbox.available)
          sandboxed.push(await timeMs(() => runPlaybook(playbook, { cwd, sandbox: "required" })));
      }
      const agents = await listAgents([packageAgentsDir() as string]);
      const validate: number[] = [];
      for (let i = 0; i < 10; i++) {
        validate.push(await timeMs(() => Promise.all(agents.map((a) => checkAgent(a.dir)))));
      }
      return {
        rounds: ROUNDS,
        raw_spawn_ms_median: Number(median(raw).toFixed(2)),
        playbook_step_ms_median: Number(median(step).toFixed(2)),
        playbook_step_ms_p95: Number(percentile(step, 95).toFixed(2)),
        overhead_ms_median: Number((median(step) - median(raw)).toFixed(2)),
        ...(sandbox.available
          ? {
              sandboxed_step_ms_median: Number(median(sandboxed).toFixed(2)),
              sandboxed_step_ms_p95: Number(percentile(sandboxed, 95).toFixed(2)),
              sandbox_cost_over_bare_spawn_ms_median: Number((median(sandboxed) - median(raw)).toFixed(2)),
              sandbox_cost_over_unsandboxed_step_ms_median: Number(
                (median(sandboxed) - median(step)).toFixed(2),
              ),
              sandbox_target_ms: 30,
            }
          : { sandbox_unavailable: sandbox.reason }),
        validate_all_shipped_agents_ms_median: Number(median(validate).toFixed(2)),
        shipped_agents: agents.length,
      };
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  },
};
export default bench;
