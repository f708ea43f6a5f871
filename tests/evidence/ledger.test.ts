import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { Ledger, LedgerRecord, readLedger } from "../../src/evidence/index.js";
import { Redactor } from "../../src/redaction/index.js";
import { withTempDir } from "../helpers/temp.js";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const SECRET = "ledger-secret-value-9";
const fixedClock = () => new Date("2026-11-21T12:00:00.000Z");

describe("Ledger", () => {
  it("writes one record per event with run id, agent, issue, timestamp and sequence number", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "logs", "ci_evidence.jsonl");
      const ledger = new Ledger(file, { runId: "run-1", agent: "claude-code", issue: 12, now: fixedClock });
      await ledger.append({ kind: "run_started", mode: "run", branch: "handoff/issue-12-x" });
      await ledger.append({ kind: "checkpoint", tag: "handoff/cp/1", sha: "a".repeat(40) });
      await ledger.append({ kind: "run_ended", end_reason: "done", exit_code: 0 });
      const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
      expect(lines).toHaveLength(3);
      expect(JSON.parse(lines[0]!)).toEqual({
        v: 1,
        seq: 1,
        ts: "2026-11-21T12:00:00.000Z",
        run_id: "run-1",
        agent: "claude-code",
        issue: 12,
        kind: "run_started",
        mode: "run",
        branch: "handoff/issue-12-x",
      });
      expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([1, 2, 3]);
      for (const line of lines) expect(LedgerRecord.safeParse(JSON.parse(line)).success).toBe(true);
    });
  });

  it("stores hashes of the redacted prompt, output and diff instead of the content", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "ci_evidence.jsonl");
      const redactor = new Redactor({ secrets: [SECRET] });
      const ledger = new Ledger(file, { runId: "r", agent: "codex", redactor });
      const prompt = `Fix the bug. Use token ${SECRET}.`;
      const record = await ledger.append({ kind: "prompt_built", iteration: 1, prompt });
      const diff = "diff --git a/x b/x\n+line\n";
      await ledger.append({ kind: "commit", sha: "b".repeat(40), message: "Fix bug", diff });
      await ledger.append({
        kind: "agent_turn",
        iteration: 1,
        output: "done",
        input_tokens: 10,
        output_tokens: 5,
      });
      const text = await readFile(file, "utf8");
      expect(text).not.toContain("Fix the bug");
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("+line");
      const redacted = "Fix the bug. Use token ***.";
      expect(record).toMatchObject({ prompt: { sha256: sha(redacted), bytes: Buffer.byteLength(redacted) } });
      const records = await readLedger(file);
      expect(records[1]).toMatchObject({ kind: "commit", diff: { sha256: sha(diff) }, message: "Fix bug" });
      expect(records[2]).toMatchObject({ output: { sha256: sha("done"), bytes: 4 } });
    });
  });

  it("redacts every record, including tool calls with their policy decision", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "ci_evidence.jsonl");
      const ledger = new Ledger(file, {
        runId: "r",
        agent: "shell",
        redactor: new Redactor({ secrets: [SECRET] }),
      });
      const token = `ghp_${"x1".repeat(18)}`;
      await ledger.append({
        kind: "tool_call",
        tool: "Bash",
        command: `curl -H "Authorization: token ${token}" https://u:${SECRET}@example.com`,
        decision: { allowed: false, rule: "deny[0]", reason: `curl with ${SECRET}` },
      });
      const text = await readFile(file, "utf8");
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(token);
      const [record] = await readLedger(file);
      expect(record).toMatchObject({ kind: "tool_call", decision: { allowed: false, rule: "deny[0]" } });
    });
  });

  it("never interleaves concurrent appends and numbers them without gaps", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "ci_evidence.jsonl");
      const a = new Ledger(file, { runId: "a", agent: "x" });
      const b = new Ledger(file, { runId: "b", agent: "y" });
      const big = "z".repeat(100_000);
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          (i % 2 ? a : b).append({ kind: "agent_turn", iteration: i, output: big, duration_ms: i }),
        ),
      );
      const records = await readLedger(file);
      expect(records).toHaveLength(100);
      expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(new Set(records.map((r) => (r.kind === "agent_turn" ? r.iteration : -1))).size).toBe(100);
    });
  });

  it("continues the sequence of an existing ledger file", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "ci_evidence.jsonl");
      const first = { v: 1, seq: 41, ts: "2026-01-01T00:00:00.000Z", run_id: "old", agent: "a", issue: null };
      await writeFile(file, `${JSON.stringify({ ...first, kind: "checkpoint", tag: "t", sha: "s" })}\n`);
      const record = await new Ledger(file, { runId: "new", agent: "a" }).append({
        kind: "pr",
        number: 3,
        action: "opened",
      });
      expect(record.seq).toBe(42);
    });
  });

  it("starts again at 1 when the ledger file was removed", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "ci_evidence.jsonl");
      const ledger = new Ledger(file, { runId: "r", agent: "a" });
      await ledger.append({ kind: "checkpoint", tag: "t1", sha: "s" });
      await ledger.append({ kind: "checkpoint", tag: "t2", sha: "s" });
      await rm(file);
      expect((await ledger.append({ kind: "checkpoint", tag: "t3", sha: "s" })).seq).toBe(1);
    });
  });

  it("rejects an invalid event without writing anything, and keeps working after it", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "ci_evidence.jsonl");
      const ledger = new Ledger(file, { runId: "r", agent: "a" });
      // @ts-expect-error: an end reason the schema does not know
      const bad = ledger.append({ kind: "run_ended", end_reason: "crashed" });
      await expect(bad).rejects.toThrow(ConfigError);
      await expect(bad).rejects.toThrow(/ledger event run_ended: \$\.end_reason/);
      await ledger.append({ kind: "run_ended", end_reason: "fatal_error" });
      const records = await readLedger(file);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ seq: 1, end_reason: "fatal_error" });
    });
  });

  it("readLedger names the file and line of a bad record", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "ci_evidence.jsonl");
      await writeFile(file, '{"v":1}\n');
      await expect(readLedger(file)).rejects.toThrow(/ci_evidence\.jsonl:1: /);
    });
  });
});
