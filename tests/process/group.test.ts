import { describe, expect, it } from "vitest";
import { runProcessGroup } from "../../src/process/group.js";
import { runAgent } from "../../src/runtimes/index.js";
import { withTempDir } from "../helpers/temp.js";

const node = process.execPath;

describe("the process runner", () => {
  it("reports a program that cannot start as exit code 127 with its error, without rejecting", async () => {
    await withTempDir(async (cwd) => {
      const result = await runProcessGroup(["handoff-no-such-program-xyz"], {
        cwd,
        env: process.env,
        maxOutputChars: 1024,
      });
      expect(result.exitCode).toBe(127);
      expect(result.spawnError?.code).toBe("ENOENT");
    });
  });

  it("keeps stdout and stderr apart, or interleaved in arrival order", async () => {
    await withTempDir(async (cwd) => {
      const script = "process.stdout.write('a\\n');setTimeout(()=>process.stderr.write('b\\n'),50)";
      const apart = await runProcessGroup([node, "-e", script], {
        cwd,
        env: process.env,
        maxOutputChars: 64,
      });
      expect(apart).toMatchObject({ exitCode: 0, stdout: "a\n", stderr: "b\n" });
      const together = await runProcessGroup([node, "-e", script], {
        cwd,
        env: process.env,
        maxOutputChars: 64,
        interleave: true,
      });
      expect(together).toMatchObject({ exitCode: 0, stdout: "a\nb\n", stderr: "" });
    });
  });

  it("feeds stdin, keeps only the tail and hands out whole lines", async () => {
    await withTempDir(async (cwd) => {
      const lines: string[] = [];
      const result = await runProcessGroup([node, "-e", "process.stdin.pipe(process.stdout)"], {
        cwd,
        env: process.env,
        maxOutputChars: 4,
        stdin: "one\ntwo\nend",
        onLine: (l) => lines.push(l),
      });
      expect(result.stdout).toBe("\nend");
      expect(lines).toEqual(["one", "two", "end"]);
    });
  });

  it("lets an agent that cannot start reject, as a setup error", async () => {
    await withTempDir(async (dir) => {
      await expect(
        runAgent({
          runtime: { adapter: "command", command: "handoff-no-such-program-xyz" },
          prompt: "",
          promptFile: `${dir}/p`,
          worktree: dir,
          issue: "1",
          sourceEnv: process.env,
        }),
      ).rejects.toThrow(/cannot start handoff-no-such-program-xyz/);
    });
  });
});
