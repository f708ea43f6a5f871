import { execFileSync } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { taskId } from "../../src/llm-tasks/ids.js";
import { runCli } from "../helpers/cli.js";
import { withTempDir } from "../helpers/temp.js";

const SCRIPT = fileURLToPath(new URL("../fixtures/handoff_task.py", import.meta.url));
const python = (args: string[], cwd: string): string =>
  execFileSync("python3", [SCRIPT, ...args], { cwd, encoding: "utf8" }).trim();

describe("Python interoperability", () => {
  it("a Python pipeline computes the same id, answers the pending task, and the rerun picks it up", async () => {
    await withTempDir(async (dir) => {
      const messages = [
        { role: "system", content: "Réponds en français. Ключ: ✓ 😀" },
        { role: "user", content: 'Quelle est la "capitale" de la France ?\n', name: "ö" },
      ];
      const format = {
        type: "json_schema",
        json_schema: {
          name: "city",
          schema: { type: "object", required: ["city"], properties: { city: { type: "string" } } },
        },
      };
      const options = {
        temperature: 0.7,
        top_p: 1.0,
        max_tokens: 1e3,
        timeout_s: 12.5,
        stream: false,
        seed: 1e21,
      };
      await writeFile(join(dir, "messages.json"), JSON.stringify(messages));
      await writeFile(join(dir, "format.json"), JSON.stringify(format));
      await writeFile(join(dir, "options.json"), JSON.stringify(options));
      const files = [
        "--task",
        "geo.capital",
        "--messages-file",
        "messages.json",
        "--response-format-file",
        "format.json",
        "--options-file",
        "options.json",
      ];
      const env = { LLM_EXEC_SLOT: "3", LLM_AGENT_QUEUE_DIR: "queue", LLM_MODE: "", LLM_AGENT_NAME: "" };

      const first = await runCli(["llm", "complete", ...files], { cwd: dir, env });
      expect(first.code).toBe(75);
      const [pendingName] = await readdir(join(dir, "queue/pending"));

      const pythonId = python(["id", ...files], dir);
      expect(`${pythonId}.json`).toBe(pendingName);
      expect(pythonId).toBe(taskId({ task: "geo.capital", messages, responseFormat: format, options }));

      expect(
        python(
          ["answer", ...files, "--queue-dir", "queue", "--content", '{"city":"Paris"}', "--agent", "py-bot"],
          dir,
        ),
      ).toBe(pythonId);
      const result = JSON.parse(
        await readFile(join(dir, "queue/results", `${pythonId}.json`), "utf8"),
      ) as Record<string, unknown>;
      expect(result).toMatchObject({ schema_version: 1, id: pythonId, completed_by: "py-bot" });

      const rerun = await runCli(["llm", "complete", ...files], { cwd: dir, env });
      expect([rerun.code, rerun.stderr, rerun.stdout]).toEqual([0, "", '{"city":"Paris"}']);
      const validate = await runCli(["queue", "validate", "--json"], { cwd: dir, env });
      expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true, files: 2 });
    });
  }, 60_000);

  it("agrees with the TypeScript id on the fixed vectors", async () => {
    const vectors = JSON.parse(
      await readFile(fileURLToPath(new URL("../fixtures/id-vectors.json", import.meta.url)), "utf8"),
    ) as {
      task: string;
      messages: unknown;
      response_format?: unknown;
      options?: Record<string, unknown>;
    }[];
    await withTempDir(async (dir) => {
      for (const [i, v] of vectors.entries()) {
        const args = ["--task", v.task, "--messages-file", `m${i}.json`];
        await writeFile(join(dir, `m${i}.json`), JSON.stringify(v.messages));
        if (v.response_format) {
          await writeFile(join(dir, `f${i}.json`), JSON.stringify(v.response_format));
          args.push("--response-format-file", `f${i}.json`);
        }
        if (v.options) {
          await writeFile(join(dir, `o${i}.json`), JSON.stringify(v.options));
          args.push("--options-file", `o${i}.json`);
        }
        expect(python(["id", ...args], dir)).toBe(
          taskId({
            task: v.task,
            messages: v.messages,
            responseFormat: v.response_format,
            options: v.options,
          }),
        );
      }
    });
  });
});
