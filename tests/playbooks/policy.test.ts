import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/index.js";
import { runPlaybook } from "../../src/playbooks/run.js";
import { withTempDir } from "../helpers/temp.js";
import { playbook } from "./helpers.js";

const allowEchoAndTouch = (stop_on_deny: boolean) =>
  parsePolicy({
    default_action: "deny",
    stop_on_deny,
    allow: [{ program: "echo" }, { program: "touch" }, { program: "true" }],
  });

describe("runPlaybook with an execution policy", () => {
  it("runs allowed commands, refuses denied ones without running them, and stops (stop_on_deny)", async () => {
    await withTempDir(async (cwd) => {
      await writeFile(join(cwd, "keep.txt"), "precious");
      const result = await runPlaybook(
        playbook([
          { name: "greet", command: "echo hi" },
          { name: "wipe", command: "rm -f keep.txt" },
          { name: "after", command: "touch after.txt" },
        ]),
        { cwd, policy: allowEchoAndTouch(true) },
      );
      expect(result.ok).toBe(false);
      const [greet, wipe, after] = result.steps;
      expect(greet).toMatchObject({ status: "passed", outputTail: "hi", decision: { allowed: true } });
      expect(greet?.decision?.rule).toMatch(/^allow\[0\]/);
      expect(wipe).toMatchObject({
        status: "denied",
        attempts: 0,
        exitCode: null,
        decision: { allowed: false },
      });
      expect(wipe?.reason).toMatch(/^denied by /);
      expect(after).toMatchObject({
        status: "stopped",
        reason: 'stopped after step "wipe" was denied (stop_on_deny)',
      });
      expect(await readFile(join(cwd, "keep.txt"), "utf8")).toBe("precious");
      await expect(readFile(join(cwd, "after.txt"))).rejects.toThrow(/ENOENT/);
    });
  });

  it("goes on after a denied step when stop_on_deny is false", async () => {
    await withTempDir(async (cwd) => {
      const result = await runPlaybook(
        playbook([
          { name: "sneaky", command: "echo ok; rm -rf ." },
          { name: "after", command: "touch after.txt" },
        ]),
        { cwd, policy: allowEchoAndTouch(false) },
      );
      expect(result.steps.map((s) => s.status)).toEqual(["denied", "passed"]);
      expect(await readFile(join(cwd, "after.txt"), "utf8")).toBe("");
    });
  });

  it("checks argv commands too", async () => {
    await withTempDir(async (cwd) => {
      await writeFile(join(cwd, "x"), "x");
      const result = await runPlaybook(playbook([{ name: "argv rm", command: ["rm", "x"] }]), {
        cwd,
        policy: allowEchoAndTouch(true),
      });
      expect(result.steps[0]).toMatchObject({ status: "denied", attempts: 0 });
      expect(await readFile(join(cwd, "x"), "utf8")).toBe("x");
    });
  });

  it("does not check a step whose condition is false", async () => {
    await withTempDir(async (cwd) => {
      const result = await runPlaybook(
        playbook([{ name: "off", command: "rm -rf .", condition: "danger" }]),
        {
          cwd,
          policy: allowEchoAndTouch(true),
        },
      );
      expect(result.steps[0]).toMatchObject({ status: "skipped" });
      expect(result.steps[0]?.decision).toBeUndefined();
      expect(result.ok).toBe(true);
    });
  });
});

describe("shipped playbooks under the shipped default policy", () => {
  it.each(["node", "make"])(
    "every command of playbooks/%s.yaml is allowed by policies/default.yaml",
    async (name) => {
      const { decide, loadPolicy } = await import("../../src/policy/index.js");
      const { loadPlaybook } = await import("../../src/playbooks/load.js");
      const policy = await loadPolicy("policies/default.yaml");
      const pb = await loadPlaybook(`playbooks/${name}.yaml`);
      for (const step of pb.steps) {
        const decision = await decide(policy, step.command, { cwd: process.cwd() });
        expect(decision.allowed, `${step.name}: ${decision.reason}`).toBe(true);
      }
    },
  );
});
