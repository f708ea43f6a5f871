import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

describe("handoff CLI", () => {
  it("prints help with the exit codes", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: handoff");
    expect(result.stdout).toContain("75   an LLM task is pending");
  });

  it("prints the package version from the bundle", async () => {
    const result = await runCli(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("rejects an unknown command with exit code 2", async () => {
    const result = await runCli(["no-such-command"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command|too many arguments/);
  });
});
