import { spawn } from "node:child_process";
import { readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
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
              await node([
                fixture("queue-racer.mjs"),
                BUILD_INDEX,
                dir,
                agent,
                "claim",
                String(start),
                ...ids,
              ]),
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

/** Runs one queue-racer process per agent, all starting their rounds at the same instants. */
async function race(
  dir: string,
  agents: ReadonlyArray<readonly [agent: string, op: "claim" | "complete"]>,
  ids: readonly string[],
): Promise<Array<Record<string, string>>> {
  // Every racer loads first (a few hundred ms each on a busy machine), then all start together.
  const start = Date.now() + 1000 + 300 * agents.length;
  return Promise.all(
    agents.map(
      async ([agent, op]) =>
        JSON.parse(
          await node([fixture("queue-racer.mjs"), BUILD_INDEX, dir, agent, op, String(start), ...ids]),
        ) as Record<string, string>,
    ),
  );
}

describe("claim and complete are serialised on one lock (issue 13 §7)", () => {
  it("of a claim and a complete by different agents racing, exactly one succeeds", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(dir);
      const ids: string[] = [];
      for (let i = 0; i < 15; i++) {
        const task = makePending("race", `claim-or-complete ${i}`);
        await queue.writePendingIfAbsent(task);
        ids.push(task.id);
      }
      const [claimer, completer] = await race(
        dir,
        [
          ["ann", "claim"],
          ["bob", "complete"],
        ],
        ids,
      );
      for (const id of ids) {
        const [claim, complete] = [claimer![id]!, completer![id]!];
        expect(
          [claim, complete].filter((o) => o === "won"),
          `${id}: ${claim} / ${complete}`,
        ).toHaveLength(1);
        const result = await queue.readResult(id);
        if (complete === "won") {
          expect(claim).toMatch(/^lost: LLM task .* is already completed by bob/);
          expect(result?.completed_by).toBe("bob");
        } else {
          expect(complete).toMatch(/^lost: LLM task .* is claimed by ann, not bob/);
          expect(result).toBeUndefined();
          expect((await queue.getPending(id)).claimed_by).toBe("ann");
        }
      }
    });
  }, 90_000);

  it("a stale lock is taken over by exactly one of ten racing claimers", async () => {
    await withTempDir(async (dir) => {
      const queue = new TaskQueue(dir);
      await queue.ensureDirs();
      const ids: string[] = [];
      const old = new Date(Date.now() - 120_000);
      for (let i = 0; i < 12; i++) {
        const task = makePending("stale", `q${i}`);
        await queue.writePendingIfAbsent(task);
        ids.push(task.id);
        // Left by a claimer killed two minutes ago (an older Handoff wrote "<pid> <time>").
        const lock = join(queue.paths.locks, `${task.id}.lock`);
        await writeFile(lock, `99999 ${old.toISOString()}\n`);
        await utimes(lock, old, old);
      }
      const agents = Array.from({ length: 10 }, (_, i) => [`agent${i}`, "claim"] as const);
      const outcomes = await race(dir, agents, ids);
      for (const id of ids) {
        const winners = agents.filter((_, i) => outcomes[i]![id] === "won").map(([a]) => a);
        expect(winners, id).toHaveLength(1);
        expect((await queue.getPending(id)).claimed_by).toBe(winners[0]);
        for (const [i] of agents.entries())
          if (outcomes[i]![id] !== "won")
            expect(outcomes[i]![id]).toMatch(
              new RegExp(`^lost: LLM task .* is already claimed by ${winners[0]}`),
            );
      }
      // Nothing is left behind: no lock, no takeover guard, no temp file.
      expect(await readdir(queue.paths.locks)).toEqual([]);
    });
  }, 120_000);
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
