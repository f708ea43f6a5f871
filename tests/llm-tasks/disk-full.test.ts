import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TaskQueue } from "../../src/llm-tasks/queue.js";
import { runCli } from "../helpers/cli.js";
import { makePending } from "../helpers/llm-tasks.js";
import { fillDisk, withSmallDisk } from "../helpers/small-disk.js";

/** Every file left under the queue folder, relative to it. */
async function queueFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

describe("a full disk (issue 13 §13)", () => {
  it("claim and complete say 'no space left on device', leave nothing behind, and the next claim works", async (ctx) => {
    const outcome = await withSmallDisk(256, async (disk) => {
      const root = join(disk, "q");
      const queue = new TaskQueue(root);
      const task = makePending("full", "disk");
      await queue.writePendingIfAbsent(task);
      const before = await queueFiles(root);
      const filler = await fillDisk(disk);
      const env = { LLM_AGENT_NAME: "ann", LLM_AGENT_QUEUE_DIR: root };

      for (const args of [
        ["queue", "claim", task.id],
        ["queue", "complete", task.id, "--content", "answer"],
      ]) {
        const run = await runCli(args, { env });
        expect(run.code, args.join(" ")).toBe(2);
        expect(run.stderr).toMatch(
          new RegExp(`^handoff: ${root}/\\S+: cannot write: no space left on device \\(ENOSPC\\)\\n$`),
        );
        // No 0-byte lock, no temp file: the queue holds exactly what it held.
        expect(await queueFiles(root)).toEqual(before);
      }

      await rm(filler);
      const claim = await runCli(["queue", "claim", task.id], { env });
      expect([claim.code, claim.stderr]).toEqual([0, ""]);
      expect((await queue.getPending(task.id)).claimed_by).toBe("ann");
    });
    if ("skipped" in outcome) {
      console.log(`skipped: ${outcome.skipped}`);
      ctx.skip();
    }
  });

  it("a pipeline's new LLM task on a full disk: a clear error and no temp file", async (ctx) => {
    const outcome = await withSmallDisk(256, async (disk) => {
      const root = join(disk, "q");
      await new TaskQueue(root).ensureDirs();
      await fillDisk(disk);
      const { writeFile } = await import("node:fs/promises");
      const messages = join(disk, "..", `m-${process.pid}.json`);
      await writeFile(messages, JSON.stringify([{ role: "user", content: "room?" }]));
      try {
        const run = await runCli(["llm", "complete", "--task", "full", "--messages-file", messages], {
          env: { LLM_EXEC_SLOT: "3", LLM_AGENT_QUEUE_DIR: root },
        });
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(
          /^handoff: \S+\/pending\/full__[0-9a-f]{16}\.json: cannot write: no space left on device \(ENOSPC\)\n$/,
        );
        expect(await queueFiles(root)).toEqual([]);
      } finally {
        await rm(messages, { force: true });
      }
    });
    if ("skipped" in outcome) {
      console.log(`skipped: ${outcome.skipped}`);
      ctx.skip();
    }
  });
});
