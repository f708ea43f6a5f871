import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { PendingTask } from "../../src/llm-tasks/schemas.js";
import { runCli } from "../helpers/cli.js";
import { withTempDir } from "../helpers/temp.js";

const PIPELINE = fileURLToPath(new URL("../../examples/release-notes.mjs", import.meta.url));
const ANSWERS = JSON.parse(
  await readFile(
    fileURLToPath(new URL("../../examples/release-notes.answers.json", import.meta.url)),
    "utf8",
  ),
) as Record<string, string>;

describe("handoff think", () => {
  it("runs the command in THINK mode whatever the environment says, and lists what it left pending", async () => {
    await withTempDir(async (dir) => {
      // Even a shell set up for the API is put in THINK mode: no provider is configured, so an API call would fail.
      const env = {
        LLM_EXEC_SLOT: "0",
        LLM_MODE: "api",
        HANDOFF_EMERGENCY_OVERRIDE: "1",
        LLM_AGENT_QUEUE_DIR: "",
        LLM_AGENT_NAME: "",
      };
      const first = await runCli(["think", "--", process.execPath, PIPELINE], { cwd: dir, env });
      expect(first.code).toBe(75);
      expect(first.stderr).toMatch(
        /handoff think: 2 LLM task\(s\) pending in .*workspaces\/logs\/agent_tasks/,
      );
      const ids = [...first.stderr.matchAll(/^ {2}(release_notes\.\w+__[0-9a-f]{16})$/gm)].map((m) => m[1]!);
      expect(ids.map((id) => id.split("__")[0]).sort()).toEqual([
        "release_notes.classify",
        "release_notes.summarize",
      ]);
      expect(first.stderr).toMatch(/runbook: {2}.*runbooks\/release-notes\.md/);
      expect(first.stderr).toContain(
        `answer:   LLM_AGENT_NAME=<you> handoff queue complete ${ids[0]} --content-file <answer-file>`,
      );
      expect(first.stderr).toContain(`then rerun: handoff think -- ${process.execPath} ${PIPELINE}`);

      const pending = JSON.parse(
        await readFile(join(dir, "workspaces/logs/agent_tasks/pending", `${ids[0]}.json`), "utf8"),
      ) as PendingTask;
      expect(pending.invocation).toEqual({ argv: [process.execPath, PIPELINE], cwd: dir });

      for (const id of ids) {
        const file = join(dir, `${id}.txt`);
        await writeFile(file, ANSWERS[id.split("__")[0]!]!);
        const done = await runCli(["queue", "complete", id, "--content-file", file], {
          cwd: dir,
          env: { LLM_AGENT_NAME: "t", LLM_AGENT_QUEUE_DIR: "" },
        });
        expect(done.code).toBe(0);
      }
      const json = await runCli(["think", "--json", "--", process.execPath, PIPELINE], { cwd: dir, env });
      expect(json.code).toBe(0);
      expect(json.stdout).toContain("# Release notes");
      expect(JSON.parse(json.stdout.slice(json.stdout.lastIndexOf("\n{") + 1))).toMatchObject({
        exit_code: 0,
        pending: [],
      });
    });
  }, 120_000);

  it("reports a command that cannot start", async () => {
    const result = await runCli(["think", "--", "/no/such/program"]);
    expect([result.code, result.stderr]).toEqual([2, "handoff: cannot run /no/such/program: ENOENT\n"]);
  });
});
