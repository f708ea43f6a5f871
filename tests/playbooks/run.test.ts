import { mkdir, readFile, symlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPlaybook } from "../../src/playbooks/run.js";
import type { StepEvent } from "../../src/playbooks/types.js";
import { withTempDir } from "../helpers/temp.js";
import { eventually, isAlive, playbook } from "./helpers.js";

describe("runPlaybook", () => {
  it("runs string commands with sh -c and reports exit code, attempts, duration and output tail", async () => {
    await withTempDir(async (cwd) => {
      const result = await runPlaybook(
        playbook([
          { name: "hello", command: "echo hello from $0 && echo to-stderr >&2" },
          { name: "exit 3", command: "echo before; exit 3", fail_fast: false },
        ]),
        { cwd },
      );
      expect(result.ok).toBe(false);
      const [hello, exit3] = result.steps;
      expect(hello).toMatchObject({ name: "hello", status: "passed", exitCode: 0, attempts: 1 });
      expect(hello?.outputTail).toContain("hello from sh");
      expect(hello?.outputTail).toContain("to-stderr");
      expect(exit3).toMatchObject({ status: "failed", exitCode: 3, attempts: 1, outputTail: "before" });
      expect(typeof hello?.durationMs).toBe("number");
    });
  });

  it("runs argv commands without a shell", async () => {
    await withTempDir(async (cwd) => {
      const result = await runPlaybook(
        playbook([
          {
            name: "argv",
            command: [process.execPath, "-e", "process.stdout.write(process.argv[1])", "$HOME;ls"],
          },
        ]),
        { cwd },
      );
      expect(result.steps[0]).toMatchObject({ status: "passed", outputTail: "$HOME;ls" });
    });
  });

  it("reports a missing program as exit code 127", async () => {
    await withTempDir(async (cwd) => {
      const result = await runPlaybook(
        playbook([{ name: "missing", command: ["handoff-no-such-program-xyz"] }]),
        {
          cwd,
        },
      );
      expect(result.steps[0]).toMatchObject({ status: "failed", exitCode: 127 });
      expect(result.steps[0]?.outputTail).toContain("ENOENT");
    });
  });

  it("kills the whole process group on timeout: no orphaned grandchild survives", async () => {
    await withTempDir(async (cwd) => {
      const result = await runPlaybook(
        playbook([
          {
            name: "hang",
            command: "sleep 30 & echo $! > grandchild.pid; echo started; wait",
            timeout_seconds: 0.5,
          },
          { name: "after", command: "true" },
        ]),
        { cwd, killGraceMs: 300 },
      );
      const pid = Number(await readFile(join(cwd, "grandchild.pid"), "utf8"));
      expect(pid).toBeGreaterThan(1);
      expect(result.steps[0]).toMatchObject({
        status: "timeout",
        exitCode: null,
        attempts: 1,
        outputTail: "started",
      });
      expect(result.steps[0]?.reason).toMatch(/timed out after 0.5s/);
      expect(result.steps[1]).toMatchObject({ status: "skipped" });
      expect(result.ok).toBe(false);
      expect(await eventually(() => !isAlive(pid))).toBe(true);
    });
  });

  it("escalates to SIGKILL when the group ignores SIGTERM", async () => {
    await withTempDir(async (cwd) => {
      const result = await runPlaybook(
        playbook([
          {
            name: "stubborn",
            command: "trap '' TERM; sleep 30 & echo $! > gc.pid; wait; wait",
            timeout_seconds: 0.3,
          },
        ]),
        { cwd, killGraceMs: 200 },
      );
      const pid = Number(await readFile(join(cwd, "gc.pid"), "utf8"));
      expect(result.steps[0]?.status).toBe("timeout");
      expect(await eventually(() => !isAlive(pid))).toBe(true);
    });
  });

  it("reaps background processes a step leaves behind when it exits", async () => {
    await withTempDir(async (cwd) => {
      const result = await runPlaybook(
        playbook([{ name: "bg", command: "sleep 30 & echo $! > bg.pid; exit 0" }]),
        {
          cwd,
          killGraceMs: 300,
        },
      );
      const pid = Number(await readFile(join(cwd, "bg.pid"), "utf8"));
      expect(result.steps[0]).toMatchObject({ status: "passed", exitCode: 0 });
      expect(await eventually(() => !isAlive(pid))).toBe(true);
    });
  });

  it("retries with exponential backoff until the command succeeds", async () => {
    await withTempDir(async (cwd) => {
      // Fails twice, then succeeds: the counter file counts real process starts.
      const flaky =
        'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo "try $n"; [ "$n" -ge 3 ]';
      const result = await runPlaybook(playbook([{ name: "flaky", command: flaky, retry_count: 3 }]), {
        cwd,
        retryBaseMs: 40,
      });
      expect(result.ok).toBe(true);
      expect(result.steps[0]).toMatchObject({
        status: "passed",
        attempts: 3,
        exitCode: 0,
        outputTail: "try 3",
      });
      expect((await readFile(join(cwd, "count"), "utf8")).trim()).toBe("3");
      // Waits of 40 ms then 80 ms happened between the three attempts.
      expect(result.steps[0]?.durationMs).toBeGreaterThanOrEqual(120);
    });
  });

  it("gives up after retry_count retries and reports the last attempt", async () => {
    await withTempDir(async (cwd) => {
      const failing =
        'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo "try $n"; exit 7';
      const result = await runPlaybook(playbook([{ name: "failing", command: failing, retry_count: 2 }]), {
        cwd,
        retryBaseMs: 5,
      });
      expect(result.steps[0]).toMatchObject({
        status: "failed",
        attempts: 3,
        exitCode: 7,
        outputTail: "try 3",
      });
      expect((await readFile(join(cwd, "count"), "utf8")).trim()).toBe("3");
    });
  });

  it("takes the backoff base from the playbook's retry_base_seconds", async () => {
    await withTempDir(async (cwd) => {
      const result = await runPlaybook(
        playbook([{ name: "f", command: "exit 1", retry_count: 1 }], { retry_base_seconds: 0.2 }),
        { cwd },
      );
      expect(result.steps[0]).toMatchObject({ status: "failed", attempts: 2 });
      expect(result.steps[0]?.durationMs).toBeGreaterThanOrEqual(200);
    });
  });

  it("skips steps whose condition is false and runs those whose condition is true", async () => {
    await withTempDir(async (cwd) => {
      const steps = [
        { name: "lint", command: "echo lint > lint.txt", condition: "lint_enabled == true" },
        { name: "not-ci", command: "echo local > local.txt", condition: "not ci" },
        { name: "always", command: "true" },
      ];
      const off = await runPlaybook(playbook(steps), { cwd, vars: { ci: "true" } });
      expect(off.steps.map((s) => s.status)).toEqual(["skipped", "skipped", "passed"]);
      expect(off.steps[0]?.reason).toBe("condition is false: lint_enabled == true");
      expect(off.ok).toBe(true);
      const on = await runPlaybook(playbook(steps), { cwd, vars: { lint_enabled: "true" } });
      expect(on.steps.map((s) => s.status)).toEqual(["passed", "passed", "passed"]);
      expect(await readFile(join(cwd, "lint.txt"), "utf8")).toBe("lint\n");
    });
  });

  it("stops at a failing fail_fast step and continues past a fail_fast: false one", async () => {
    await withTempDir(async (cwd) => {
      const soft = await runPlaybook(
        playbook([
          { name: "soft", command: "exit 1", fail_fast: false },
          { name: "next", command: "touch next.txt" },
        ]),
        { cwd },
      );
      expect(soft.steps.map((s) => s.status)).toEqual(["failed", "passed"]);
      expect(soft.ok).toBe(false);

      const hard = await runPlaybook(
        playbook([
          { name: "hard", command: "exit 1" },
          { name: "never", command: "touch never.txt" },
        ]),
        { cwd },
      );
      expect(hard.steps.map((s) => s.status)).toEqual(["failed", "skipped"]);
      expect(hard.steps[1]?.reason).toBe('skipped because step "hard" failed (fail_fast)');
      await expect(readFile(join(cwd, "never.txt"))).rejects.toThrow(/ENOENT/);
    });
  });

  it("passes declared names from the base env, the playbook env and the step env (step wins)", async () => {
    await withTempDir(async (cwd) => {
      const result = await runPlaybook(
        playbook(
          [
            {
              name: "env",
              command: 'echo "$BASE/$SHARED/$ONLY_STEP/$NUM"',
              env: { SHARED: "step", ONLY_STEP: true },
            },
          ],
          {
            env: { SHARED: "playbook", NUM: 42 },
            pass_env: ["BASE", "SHARED"],
          },
        ),
        { cwd, env: { PATH: process.env.PATH, BASE: "base", SHARED: "base", SECRET: "hidden" } },
      );
      expect(result.steps[0]?.outputTail).toBe("base/step/true/42");
      // A name no step declares never reaches a step.
      const quiet = await runPlaybook(playbook([{ name: "leak", command: 'echo "[$SECRET]"' }]), {
        cwd,
        env: { PATH: process.env.PATH, SECRET: "hidden" },
      });
      expect(quiet.steps[0]?.outputTail).toBe("[]");
    });
  });

  it("runs in working_directory and refuses one that escapes through a symlink", async () => {
    await withTempDir(async (cwd) => {
      await mkdir(join(cwd, "pkg"));
      await withTempDir(async (outside) => {
        await symlink(outside, join(cwd, "escape"));
        const result = await runPlaybook(
          playbook([
            { name: "in pkg", command: "pwd", working_directory: "pkg" },
            { name: "escape", command: "touch pwned", working_directory: "escape", fail_fast: false },
            { name: "missing", command: "true", working_directory: "nope" },
          ]),
          { cwd },
        );
        expect(result.steps[0]?.outputTail).toMatch(/\/pkg$/);
        expect(result.steps[1]).toMatchObject({ status: "failed", attempts: 0 });
        expect(result.steps[1]?.reason).toMatch(/resolves outside/);
        expect(result.steps[2]?.reason).toMatch(/does not exist/);
        await expect(readFile(join(outside, "pwned"))).rejects.toThrow(/ENOENT/);
      });
    });
  });

  it("redacts the output tail with the given redactor", async () => {
    await withTempDir(async (cwd) => {
      const secret = "s3cr3t-value-123";
      const redactor = { redact: (text: string) => text.split(secret).join("***") };
      const result = await runPlaybook(
        playbook([{ name: "leak", command: 'echo "token=$TOKEN"', env: { TOKEN: secret } }]),
        {
          cwd,
          redactor,
        },
      );
      expect(result.steps[0]?.outputTail).toBe("token=***");
    });
  });

  it("trims a long whitespace-heavy output tail quickly (no regex backtracking)", async () => {
    await withTempDir(async (cwd) => {
      const result = await runPlaybook(
        playbook([
          {
            name: "spaces",
            command: [process.execPath, "-e", "process.stdout.write(' '.repeat(60000) + 'end   ')"],
          },
        ]),
        { cwd },
      );
      expect(result.steps[0]?.outputTail.endsWith("end")).toBe(true);
      expect(result.steps[0]?.outputTail.length).toBe(4096);
    });
  });

  it("keeps only the last 50 lines of output", async () => {
    await withTempDir(async (cwd) => {
      const result = await runPlaybook(playbook([{ name: "many", command: "seq 1 500" }]), { cwd });
      const lines = result.steps[0]?.outputTail.split("\n") ?? [];
      expect(lines).toHaveLength(50);
      expect(lines[0]).toBe("451");
      expect(lines.at(-1)).toBe("500");
    });
  });

  it("stops on abort: kills the running step's group and marks the rest stopped", async () => {
    await withTempDir(async (cwd) => {
      const controller = new AbortController();
      const events: string[] = [];
      const promise = runPlaybook(
        playbook([
          { name: "long", command: "sleep 30 & echo $! > long.pid; wait" },
          { name: "later", command: "true" },
        ]),
        {
          cwd,
          signal: controller.signal,
          killGraceMs: 300,
          onStep: (e: StepEvent) => {
            events.push(`${e.phase}:${e.step.name}${e.phase === "end" ? `:${e.result.status}` : ""}`);
            if (e.phase === "start") setTimeout(() => controller.abort(), 300);
          },
        },
      );
      const result = await promise;
      expect(result.steps.map((s) => s.status)).toEqual(["stopped", "stopped"]);
      expect(result.ok).toBe(false);
      expect(events).toEqual(["start:long", "end:long:stopped", "end:later:stopped"]);
      const pid = Number(await readFile(join(cwd, "long.pid"), "utf8"));
      expect(await eventually(() => !isAlive(pid))).toBe(true);
    });
  });
});
