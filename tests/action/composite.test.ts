import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_PATH } from "../global-setup.js";
import { TOKEN, withActionFixture } from "../helpers/action.js";
import { evaluate, runComposite } from "../helpers/composite.js";
import { makePending, writeRaw } from "../helpers/llm-tasks.js";
import { commandAgent, playbookFile } from "../runs/cli-fixtures.js";

const FILES = {
  ...commandAgent("fixer", "require('fs').writeFileSync('greeting.txt', 'hello\\n')"),
  ...playbookFile("process.exit(require('fs').readFileSync('greeting.txt', 'utf8') === 'hello\\n' ? 0 : 1)"),
  "greeting.txt": "helo\n",
};

/** The job environment without the step's INPUT_* variables (the composite passes those itself). */
function jobEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("INPUT_")));
}

/**
 * `sysctl` and `sudo` on PATH that stand in for the runner's kernel setting (a test cannot change the
 * kernel): reading prints `value`, every write is appended to the log file.
 */
async function fakeSysctl(dir: string, value: string): Promise<{ bin: string; log: string }> {
  const bin = join(dir, "fake-sysctl-bin");
  const log = join(dir, "sysctl.log");
  await mkdir(bin, { recursive: true });
  await writeFile(log, "");
  await writeFile(
    join(bin, "sysctl"),
    `#!/bin/sh\nif [ "$1" = "-n" ]; then echo ${value}; else echo "$*" >> "${log}"; fi\n`,
  );
  await writeFile(join(bin, "sudo"), `#!/bin/sh\n[ "$1" = "-n" ] && shift\nexec "$@"\n`);
  await chmod(join(bin, "sysctl"), 0o755);
  await chmod(join(bin, "sudo"), 0o755);
  return { bin, log };
}

describe("action.yml's own steps, run in order as the runner runs them", () => {
  it("the expression evaluator handles what action.yml uses", () => {
    const ctx = {
      steps: { plan: { outputs: { "cli-needed": "true", "evidence-dir": "" } } },
      inputs: { x: "true" },
    };
    expect(evaluate("steps.plan.outputs.cli-needed == 'true'", ctx)).toBe(true);
    expect(evaluate("always() && inputs.x == 'true' && steps.plan.outputs.evidence-dir != ''", ctx)).toBe(
      false,
    );
    expect(evaluate("steps.nope.outputs.a || 'fallback'", ctx)).toBe("fallback");
  });

  it("run mode: plan, no CLI to install, main, evidence upload, post; the action's outputs are set", async () => {
    await withActionFixture(FILES, async (f) => {
      f.api.addIssue(7, { title: "Fix the greeting" });
      const uploads: Array<Record<string, string>> = [];
      // An ubuntu-24.04 runner: AppArmor restricts unprivileged user namespaces.
      const sysctl = await fakeSysctl(f.sb.root, "1");
      const env = jobEnv(await f.env({}));
      const result = await runComposite({
        actionPath: ACTION_PATH,
        inputs: { mode: "run", issue: "7", agent: "fixer", "github-token": TOKEN },
        env: { ...env, PATH: `${sysctl.bin}:${env.PATH}` },
        cwd: f.workspace,
        uses: {
          "actions/cache": () => {
            throw new Error("the command agent needs no CLI: the cache step must not run");
          },
          "actions/upload-artifact": (input) => {
            uploads.push(input);
            return {};
          },
        },
      });
      const outcomes = result.steps.map((s) => `${s.id ?? s.uses?.split("@")[0] ?? "run"}:${s.outcome}`);
      expect(outcomes).toEqual([
        "plan:success",
        "cli-cache:skipped",
        "run:skipped",
        "sandbox-tools:success",
        "userns:success",
        "main:success",
        "actions/upload-artifact:success",
        "run:success",
      ]);
      expect(result.outputs).toMatchObject({
        "end-reason": "done",
        branch: "handoff/issue-7-fix-the-greeting",
        "pr-number": "1000",
      });
      // The restriction was lifted before main ran the agent and the playbook under the sandbox.
      expect((await readFile(sysctl.log, "utf8")).trim()).toBe(
        "-w kernel.apparmor_restrict_unprivileged_userns=0",
      );
      // The evidence folder handed to upload-artifact exists and holds the run's ledger.
      const [upload] = uploads;
      const evidenceDir = upload!.path!.split("\n")[0]!;
      expect(evidenceDir).toBe(join(f.workspace, ".git", "handoff", "evidence"));
      expect(existsSync(evidenceDir)).toBe(true);
      expect(upload!.name).toMatch(/^handoff-evidence-run-4242-1-7$/);
      // The token reached main only through its env block, never a script.
      const main = result.steps.find((s) => s.id === "main")!;
      expect(main.env["INPUT_GITHUB-TOKEN"]).toBe(TOKEN);
      expect(result.steps.find((s) => s.id === "plan")!.env["INPUT_GITHUB-TOKEN"]).toBeUndefined();
      expect(f.api.problems).toEqual([]);
    });
  });

  it("sync-tasks mode: the queue inputs reach main through env, the counts are the action's outputs", async () => {
    await withActionFixture(FILES, async (f) => {
      const task = makePending("classify", "Is this a bug?");
      await writeRaw(join(f.workspace, "q"), "pending", `${task.id}.json`, task);
      const result = await runComposite({
        actionPath: ACTION_PATH,
        inputs: {
          mode: "sync-tasks",
          "queue-dir": "q",
          "queue-branch": "ci/questions",
          "github-token": TOKEN,
        },
        env: jobEnv(await f.env({})),
        cwd: f.workspace,
        uses: {
          "actions/cache": () => {
            throw new Error("sync-tasks runs no agent: the cache step must not run");
          },
          "actions/upload-artifact": () => ({}),
        },
      });
      expect(result.steps.map((s) => `${s.id ?? "step"}:${s.outcome}`)).toContain("main:success");
      expect(result.outputs).toMatchObject({
        "tasks-pushed": "1",
        "issues-opened": "1",
        "tasks-waiting": "1",
      });
      expect(f.api.contents.get("ci/questions")?.size).toBe(1);
      expect(f.api.problems).toEqual([]);
    });
  });

  it("an agent with an npm CLI: the cache is keyed on the pinned version, a hit puts the CLI on PATH", async () => {
    await withActionFixture(FILES, async (f) => {
      const env = jobEnv(await f.env({}));
      env.RUNNER_TOOL_CACHE = join(f.sb.root, "tool-cache");
      const keys: string[] = [];
      // A runner whose kernel does not restrict user namespaces: the userns step changes nothing.
      const sysctl = await fakeSysctl(f.sb.root, "0");
      // The plan of a claude-code run, with no `claude` on PATH.
      const run = await runComposite({
        actionPath: ACTION_PATH,
        inputs: {
          mode: "run",
          issue: "7",
          agent: "claude-code",
          "github-token": TOKEN,
          "upload-evidence": "false",
        },
        env: { ...env, PATH: `${sysctl.bin}:${process.execPath.replace(/\/node$/, "")}:/usr/bin:/bin` },
        cwd: f.workspace,
        uses: {
          "actions/cache": async (input) => {
            keys.push(input.key!);
            // A cache hit restores the installed CLI.
            const bin = join(input.path!, "node_modules", ".bin");
            await mkdir(bin, { recursive: true });
            await writeFile(join(bin, "claude"), "#!/bin/sh\necho restored-claude\n");
            await chmod(join(bin, "claude"), 0o755);
            return { "cache-hit": "true" };
          },
          "actions/upload-artifact": () => ({}),
        },
      });
      expect(keys).toEqual(["handoff-agent-cli-Linux-X64-@anthropic-ai/claude-code@2.1.197"]);
      const install = run.steps[2]!;
      expect(install.outcome).toBe("success");
      // A hit installs nothing (no npm in the log) and the restored CLI is what main finds.
      expect(install.stdout + install.stderr).toBe("");
      const added = await readFile(join(env.RUNNER_TEMP!, "composite-path-2"), "utf8");
      expect(added.trim()).toBe(join(run.steps[1]!.with.path!, "node_modules", ".bin"));
      expect(run.steps.find((s) => s.id === "userns")?.outcome).toBe("success");
      expect(await readFile(sysctl.log, "utf8")).toBe("");
      expect(run.steps[1]!.with.path).toBe(
        join(env.RUNNER_TOOL_CACHE, "handoff-agent-cli", "_anthropic-ai_claude-code-2.1.197"),
      );
    });
  });

  it("the userns step runs only on Linux and only for modes that run sandboxed steps", async () => {
    await withActionFixture(FILES, async (f) => {
      const sysctl = await fakeSysctl(f.sb.root, "1");
      const env = jobEnv(await f.env({}));
      const steps = async (inputs: Record<string, string>, runnerOs: string) =>
        (
          await runComposite({
            actionPath: ACTION_PATH,
            inputs: { ...inputs, "github-token": TOKEN, "upload-evidence": "false" },
            env: { ...env, PATH: `${sysctl.bin}:${env.PATH}` },
            cwd: f.workspace,
            runnerOs,
            uses: { "actions/upload-artifact": () => ({}) },
          })
        ).steps.find((s) => s.id === "userns")!.outcome;
      // rollback of an issue without a branch: main fails at once, after the userns step.
      expect(await steps({ mode: "rollback", issue: "99" }, "macOS")).toBe("skipped");
      expect(await steps({ mode: "checkpoint", issue: "99" }, "Linux")).toBe("skipped");
      expect(await readFile(sysctl.log, "utf8")).toBe("");
      expect(await steps({ mode: "rollback", issue: "99" }, "Linux")).toBe("success");
      expect((await readFile(sysctl.log, "utf8")).trim()).toBe(
        "-w kernel.apparmor_restrict_unprivileged_userns=0",
      );
    });
  });
});
