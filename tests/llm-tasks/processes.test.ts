import { spawn } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parsePendingTask } from "../../src/llm-tasks/schemas.js";
import { TaskQueue } from "../../src/llm-tasks/queue.js";
import { runCli } from "../helpers/cli.js";
import { makePending } from "../helpers/llm-tasks.js";
import { withTempDir } from "../helpers/temp.js";

const BUILD_INDEX = fileURLToPath(new URL("../../build/index.js", import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function node(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
  });
}

describe("concurrent claims from real processes", () => {
  it("exactly one of two racing claimers wins each task", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(dir);
      const ids: string[] = [];
      for (let i = 0; i < 15; i++) {
        const task = makePending("race", `q${i}`);
        await queue.writePendingIfAbsent(task);
        ids.push(task.id);
      }
      // Both processes load first, then start claiming at the same instants.
      const start = Date.now() + 1500;
      const [a, b] = await Promise.all(
        ["ann", "bob"].map(
          async (agent) =>
            JSON.parse(
              await node([fixture("claim-racer.mjs"), BUILD_INDEX, dir, agent, String(start), ...ids]),
            ) as Record<string, string>,
        ),
      );
      for (const id of ids) {
        const outcomes = [a![id], b![id]];
        expect(outcomes.filter((o) => o === "won")).toHaveLength(1);
        expect(outcomes.find((o) => o !== "won")).toMatch(
          /^lost: LLM task .* is already claimed by (ann|bob)/,
        );
        const winner = a![id] === "won" ? "ann" : "bob";
        expect((await queue.getPending(id)).claimed_by).toBe(winner);
      }
    });
  }, 60_000);

  it("through the CLI, the loser gets a clear error and exit code 3", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(dir);
      const task = makePending("race", "cli");
      await queue.writePendingIfAbsent(task);
      const results = await Promise.all(
        ["ann", "bob"].map((agent) =>
          runCli(["queue", "claim", task.id, "--agent-name", agent, "--queue-dir", dir]),
        ),
      );
      expect(results.map((r) => r.code).sort()).toEqual([0, 3]);
      const loser = results.find((r) => r.code === 3)!;
      expect(loser.stderr).toMatch(
        /^handoff: LLM task race__[0-9a-f]{16} is already claimed by (ann|bob) since /,
      );
    });
  });
});

describe("atomic writes", () => {
  it("a writer killed mid-write leaves no partial JSON visible", async () => {
    await withTempDir(async (dir) => {
      let killedMidWrite = 0;
      let round = 0;
      // Kill until at least two kills have landed mid-write (a temp file left behind), at most 40 times.
      for (; round < 40 && killedMidWrite < 2; round++) {
        const child = spawn(process.execPath, [fixture("busy-writer.mjs"), BUILD_INDEX, dir], {
          stdio: ["ignore", "pipe", "inherit"],
        });
        await new Promise<void>((resolve, reject) => {
          child.stdout.once("data", () => resolve());
          child.once("exit", (code) => reject(new Error(`writer exited early (${code})`)));
        });
        await sleep(5 + ((round * 13) % 40));
        child.kill("SIGKILL");
        await new Promise((resolve) => child.once("close", resolve));
        const names = await readdir(join(dir, "pending"));
        const temps = names.filter((n) => n.endsWith(".tmp"));
        if (temps.length) killedMidWrite++;
        // Clear them, so the next round counts only its own.
        await Promise.all(temps.map((n) => rm(join(dir, "pending", n))));
        for (const name of names.filter((n) => n.endsWith(".json") && !n.startsWith("."))) {
          const file = join(dir, "pending", name);
          // Every visible file is whole: it parses and passes the schema.
          const task = parsePendingTask(JSON.parse(await readFile(file, "utf8")), file);
          expect(`${task.id}.json`).toBe(name);
        }
      }
      // The kills did land in the middle of writes (a temp file was left behind), so the check above meant something.
      expect(killedMidWrite, `temp files left by ${round} kills`).toBeGreaterThan(0);
    });
  }, 120_000);
});
