// The resident policy process: the built hook asks it over a unix socket, and decides in-process when
// it is gone.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startPolicyServer } from "../../src/policy/index.js";
import { runCli } from "../helpers/cli.js";
import { withTempDir } from "../helpers/temp.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const READONLY = join(ROOT, "policies/readonly-dev.yaml");
const bash = (command: string) =>
  JSON.stringify({
    session_id: "s",
    hook_event_name: "PreToolUse",
    cwd: ROOT,
    tool_name: "Bash",
    tool_input: { command },
  });
const decisionOf = (stdout: string): string =>
  (JSON.parse(stdout) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput
    .permissionDecision;

describe("resident policy process", () => {
  it("answers the hook over the socket, reloads a changed policy, and falls back when gone", async () => {
    await withTempDir(async (dir) => {
      const policyFile = join(dir, "policy.yaml");
      await writeFile(policyFile, "allow: [{ program: ls }]\n");
      const socket = join(dir, "policy.sock");
      const server = await startPolicyServer({ policyFile, socket, root: ROOT });
      try {
        const args = ["policy", "hook", "--policy", policyFile, "--socket", socket];
        expect(decisionOf((await runCli(args, { input: bash("ls -la") })).stdout)).toBe("allow");
        expect(decisionOf((await runCli(args, { input: bash("ls; rm -rf /") })).stdout)).toBe("deny");
        const none = await runCli(args, {
          input: JSON.stringify({ tool_name: "Read", tool_input: { file_path: "/x" } }),
        });
        expect(none).toMatchObject({ code: 0, stdout: "" });
        const malformed = await runCli(args, { input: "{oops" });
        expect(decisionOf(malformed.stdout)).toBe("deny");

        // A new policy takes effect without restarting the server.
        await new Promise((r) => setTimeout(r, 20));
        await writeFile(policyFile, "allow: [{ program: cat }]\n");
        expect(decisionOf((await runCli(args, { input: bash("ls -la") })).stdout)).toBe("deny");
        // A policy that no longer loads denies.
        await writeFile(policyFile, "allow: [{ nope: 1 }]\n");
        expect(decisionOf((await runCli(args, { input: bash("cat x") })).stdout)).toBe("deny");
      } finally {
        await server.close();
      }
      // Server gone: the hook decides in-process with the same policy file.
      await writeFile(policyFile, "allow: [{ program: ls }]\n");
      const args = ["policy", "hook", "--policy", policyFile, "--socket", socket];
      expect(decisionOf((await runCli(args, { input: bash("ls") })).stdout)).toBe("allow");
      expect(decisionOf((await runCli(args, { input: bash("rm x") })).stdout)).toBe("deny");
      expect(
        decisionOf(
          (
            await runCli(["policy", "hook", "--policy", READONLY, "--socket", join(dir, "none.sock")], {
              input: bash("git status"),
            })
          ).stdout,
        ),
      ).toBe("allow");
    });
  });
});
