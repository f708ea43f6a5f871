import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NPM_AGENT_CLIS, onPath, planAgentCli } from "../../src/action/agent-cli.js";
import { gitAuthOptions } from "../../src/action/git-auth.js";
import { parseInputs } from "../../src/action/inputs.js";
import { withTempDir } from "../helpers/temp.js";

const env = (inputs: Record<string, string>) =>
  Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));

describe("action inputs", () => {
  it("parses every input with action.yml's defaults for empty ones", () => {
    const inputs = parseInputs(
      env({ mode: "run", issue: "12", draft: "", reviewers: "alice, bob\ncarol", "max-iterations": "3" }),
    );
    expect(inputs).toMatchObject({
      mode: "run",
      issue: 12,
      agent: "claude-code",
      reason: "dispatch",
      strategy: "reset",
      draft: false,
      reviewers: ["alice", "bob", "carol"],
      labels: [],
      "max-iterations": 3,
      "required-permission": "write",
      "upload-evidence": true,
    });
  });

  it.each([
    [{ mode: "deploy" }, "input `mode` must be one of run, test"],
    [{ mode: "run" }, "input `issue` is required in mode run"],
    [{ mode: "run", issue: "12abc" }, "input `issue` must be a positive whole number"],
    [
      { mode: "run", issue: "1", "max-iterations": "0" },
      "input `max-iterations` must be a positive whole number",
    ],
    [{ mode: "run", issue: "1", draft: "yes" }, "input `draft` must be true or false"],
    [{ mode: "run", issue: "1", reason: "review" }, "input `review-id` is required with reason review"],
    [{ mode: "rollback", issue: "1", checkpoint: "HEAD~3" }, "input `checkpoint` must be a checkpoint tag"],
    [{ mode: "rollback" }, "input `issue` or branch is required in mode rollback"],
    [{ mode: "rollback", branch: "--force" }, "input `branch` must be a branch name"],
    [{ mode: "run", issue: "1", agent: "../etc" }, "input `agent` must be an agent name"],
  ])("names the input at fault: %j", (inputs, message) => {
    expect(() => parseInputs(env(inputs))).toThrow(message);
  });

  it("authenticates git per command with a header scoped to the server, never the bare token", () => {
    const options = gitAuthOptions("https://github.com/", "ghs_abc");
    expect(options).toEqual({
      config: {
        "http.https://github.com/.extraheader": `AUTHORIZATION: basic ${Buffer.from("x-access-token:ghs_abc").toString("base64")}`,
      },
    });
    expect(gitAuthOptions("https://github.com", "")).toEqual({});
  });
});

describe("the agent CLI plan", () => {
  it("pins each npm CLI at the version Handoff's own tests install", async () => {
    const require = createRequire(import.meta.url);
    for (const cli of Object.values(NPM_AGENT_CLIS)) {
      const manifest = JSON.parse(await readFile(require.resolve(`${cli.package}/package.json`), "utf8")) as {
        version: string;
      };
      expect(`${cli.package}@${manifest.version}`).toBe(`${cli.package}@${cli.version}`);
    }
  });

  it("installs nothing for command agents or when the CLI is on PATH; else plans the pinned package", async () => {
    await withTempDir(async (dir) => {
      expect(planAgentCli("command", "sh", { env: { PATH: "/usr/bin:/bin" } }).needed).toBe(false);
      const bin = join(dir, "bin");
      await mkdir(bin);
      await writeFile(join(bin, "claude"), "#!/bin/sh\n");
      await chmod(join(bin, "claude"), 0o755);
      expect(onPath("claude", { PATH: bin })).toBe(true);
      expect(planAgentCli("claude-code", undefined, { env: { PATH: bin } })).toMatchObject({ needed: false });
      const plan = planAgentCli("codex", undefined, {
        env: { PATH: "/nonexistent", RUNNER_TOOL_CACHE: dir },
        version: "0.1.0",
      });
      expect(plan).toEqual({
        needed: true,
        package: "@openai/codex",
        version: "0.1.0",
        dir: join(dir, "handoff-agent-cli", "_openai_codex-0.1.0"),
        note: "installing @openai/codex@0.1.0",
      });
    });
  });
});
