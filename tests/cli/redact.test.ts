import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CLI, runCli } from "../helpers/cli.js";

const SECRET = "cli-secret-value-42";

describe("handoff redact", () => {
  it("masks the named variables' values and token shapes from stdin to stdout", async () => {
    const token = `ghp_${"Ab1".repeat(12)}`;
    const input = `user ${SECRET}\nb64 ${Buffer.from(SECRET).toString("base64")}\ntoken ${token}\nplain line\n`;
    const result = await runCli(["redact", "--secret-env", "MY_SECRET"], {
      env: { MY_SECRET: SECRET },
      input,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("user ***\nb64 ***\ntoken ***\nplain line\n");
    expect(result.stderr).toBe("");
  });

  it("warns about an unset variable and still filters", async () => {
    const result = await runCli(["redact", "--secret-env", "HANDOFF_TEST_UNSET_VAR"], {
      input: "Authorization: Bearer abcdefghijklmnop1234\n",
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("Authorization: Bearer ***\n");
    expect(result.stderr).toContain("HANDOFF_TEST_UNSET_VAR: variable is unset or empty");
  });

  it("streams a large input with a secret split across pipe writes", async () => {
    const child = spawn(process.execPath, [CLI, "redact", "--secret-env", "S"], {
      env: { ...process.env, S: SECRET },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    const line = `${"x".repeat(1000)} ${SECRET}\n`;
    for (let i = 0; i < 2000; i++) child.stdin.write(line);
    // One more secret, written in two halves with a pause between them.
    child.stdin.write(`tail ${SECRET.slice(0, 7)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    child.stdin.end(`${SECRET.slice(7)} end\n`);
    expect(await closed).toBe(0);
    expect(out).not.toContain(SECRET);
    expect(out.split("***").length - 1).toBe(2001);
    expect(out.endsWith("tail *** end\n")).toBe(true);
  });

  it("documents itself in --help", async () => {
    const result = await runCli(["redact", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--secret-env <name>");
    expect(result.stdout).toContain("Exit codes:");
  });
});
