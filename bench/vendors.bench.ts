// What Handoff adds around one invocation of each real agent CLI (Codex, Gemini CLI), against the same
// CLI run bare with the same scripted model. The script reads a file, patches it, runs the tests and
// tries `rm -rf .git/hooks`: four tool calls, so under Handoff four (Codex: five, the patch included)
// runs of `handoff policy hook`. Bare = the same argv and settings without the hook, spawned directly.
// Handoff = `runAgent` with the real hook command and its decision record, as a run calls it (settings
// written, process tree sampled, output parsed). Runs alternate bare/Handoff; the figure is the ratio of
// the medians, with both medians beside it (a baseline measured in the same run, on the same machine).
import { execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { policyHookCommand } from "../src/runs/setup.js";
import { getAdapter, runAgent, type AdapterInput, type LaunchPlan } from "../src/runtimes/index.js";
import { geminiSettings } from "../src/runtimes/gemini.js";
import { geminiApi, responsesApi } from "../tests/helpers/model-dialects.js";
import { startModelServer, type ScriptTurn } from "../tests/helpers/model-server.js";
import { codexEnv, geminiEnv } from "../tests/helpers/vendor-clis.js";
import { type Benchmark, median, timeMs } from "./lib.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "build", "cli.js");
const RUNS = 5;
const POLICY = "default_action: deny\nallow:\n  - program: node\n    args: [test.js]\n  - program: cat\n";
const PATCH =
  "*** Begin Patch\n*** Update File: greet.js\n@@\n-module.exports = () => 'hi';\n+module.exports = () => 'hello';\n*** End Patch\n";

type Cli = "codex" | "gemini";

function script(cli: Cli, worktree: string): ScriptTurn[] {
  const tool = (name: string, input: Record<string, unknown>): ScriptTurn => ({
    content: [{ type: "tool_use", name, input }],
  });
  const done: ScriptTurn = { content: [{ type: "text", text: "Done." }] };
  if (cli === "codex")
    return [
      tool("exec_command", { cmd: "cat greet.js" }),
      { content: [{ type: "custom_tool", name: "apply_patch", input: PATCH }] },
      tool("exec_command", { cmd: "node test.js" }),
      tool("exec_command", { cmd: "rm -rf .git/hooks" }),
      done,
    ];
  const file = join(worktree, "greet.js");
  return [
    tool("read_file", { file_path: file }),
    tool("replace", { file_path: file, old_string: "'hi'", new_string: "'hello'", instruction: "greet" }),
    tool("run_shell_command", { command: "node test.js" }),
    tool("run_shell_command", { command: "rm -rf .git/hooks" }),
    done,
  ];
}

async function freshWorktree(dir: string): Promise<string> {
  const worktree = await mkdtemp(join(dir, "wt-"));
  execFileSync("git", ["init", "-q", worktree]);
  await writeFile(join(worktree, "greet.js"), "module.exports = () => 'hi';\n");
  await writeFile(
    join(worktree, "test.js"),
    "if (require('./greet.js')() !== 'hello') process.exit(1);\nconsole.log('tests passed');\n",
  );
  return worktree;
}

/** The plan without Handoff's hook: what a user would run by hand with the same settings. */
function bare(cli: Cli, input: AdapterInput, plan: LaunchPlan): LaunchPlan {
  if (cli === "codex") {
    const at = plan.args.indexOf("--dangerously-bypass-hook-trust");
    return { ...plan, args: [...plan.args.slice(0, at), ...plan.args.slice(at + 3)] };
  }
  const [settings] = Object.keys(plan.files ?? {}).filter((f) => f.endsWith("settings.json"));
  const unhooked = geminiSettings({ ...input, policyHookCommand: undefined }, true);
  return { ...plan, files: { ...plan.files, [settings!]: JSON.stringify(unhooked) } };
}

async function spawnBare(plan: LaunchPlan): Promise<void> {
  for (const [file, text] of Object.entries(plan.files ?? {})) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn(plan.command, plan.args, {
      cwd: plan.cwd,
      env: plan.env,
      stdio: ["pipe", "ignore", "ignore"],
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${plan.command} exited ${code}`)),
    );
    child.stdin.end(plan.stdin ?? "");
  });
}

async function measure(cli: Cli, root: string): Promise<Record<string, unknown>> {
  const dir = join(root, cli);
  await mkdir(dir);
  const policyFile = join(dir, "policy.yml");
  await writeFile(policyFile, POLICY);
  const bareMs: number[] = [];
  const handoffMs: number[] = [];
  let hookCalls = 0;
  let denied = 0;
  for (let i = 0; i < RUNS * 2; i++) {
    const underHandoff = i % 2 === 1;
    const worktree = await freshWorktree(dir);
    const server = await startModelServer(script(cli, worktree), {
      dialect: cli === "codex" ? responsesApi : geminiApi,
    });
    try {
      const env = await (cli === "codex" ? codexEnv : geminiEnv)(join(dir, `env-${i}`), server.url);
      const record = join(dir, `record-${i}.jsonl`);
      const input: AdapterInput = {
        runtime:
          cli === "codex"
            ? { adapter: "codex", model: "gpt-5.5", env: ["OPENAI_API_KEY", "OPENAI_BASE_URL"] }
            : {
                adapter: "gemini",
                model: "gemini-2.5-flash",
                env: ["GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL"],
              },
        prompt: "Make the tests pass.",
        promptFile: join(dir, "prompt.md"),
        worktree,
        issue: "1",
        permissionMode: "acceptEdits",
        policyHookCommand: policyHookCommand(CLI, policyFile, {
          protocol: getAdapter(cli).hookProtocol,
          record,
        }),
        homeDir: join(dir, `home-${i}`),
        sourceEnv: { ...process.env, ...env },
      };
      if (underHandoff) {
        const ms = await timeMs(async () => {
          const report = await runAgent(input);
          if (report.isError) throw new Error(`${cli} under Handoff failed: ${report.errorMessage ?? ""}`);
        });
        handoffMs.push(ms);
        const lines = (await readFile(record, "utf8")).trim().split("\n");
        hookCalls = lines.length;
        denied = lines.filter((l) => l.includes('"decision":"deny"')).length;
      } else {
        const plan = getAdapter(cli).plan(input);
        bareMs.push(await timeMs(() => spawnBare(bare(cli, input, plan))));
      }
      if (server.errors.length) throw new Error(`${cli}: ${server.errors.join("; ")}`);
    } finally {
      await server.close();
    }
  }
  const bareMedian = median(bareMs);
  const handoffMedian = median(handoffMs);
  return {
    runs: RUNS,
    hook_calls_per_invocation: hookCalls,
    denied_per_invocation: denied,
    bare_ms_median: Math.round(bareMedian),
    handoff_ms_median: Math.round(handoffMedian),
    added_ms_median: Math.round(handoffMedian - bareMedian),
    ratio: Number((handoffMedian / bareMedian).toFixed(2)),
    samples_ms: { bare: bareMs.map(Math.round), handoff: handoffMs.map(Math.round) },
  };
}

const bench: Benchmark = {
  name: "vendors",
  async run() {
    const dir = await mkdtemp(join(tmpdir(), "handoff-bench-vendors-"));
    try {
      return { codex: await measure("codex", dir), gemini: await measure("gemini", dir) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
