import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import {
  END_REASON_EXIT_CODE,
  type EndReason,
  type StepOutcome,
  buildSummary,
  formatSummaryLine,
  readSummary,
  writeSummary,
} from "../../src/evidence/index.js";
import { Redactor } from "../../src/redaction/index.js";
import { withTempDir } from "../helpers/temp.js";

const ok = (step: number, extra: Partial<StepOutcome> = {}): StepOutcome => ({
  step,
  phase: "code",
  ...extra,
});

describe("end reasons", () => {
  it("maps end reasons to exit codes", () => {
    expect(END_REASON_EXIT_CODE).toMatchObject({
      done: 0,
      job_loop_complete: 0,
      deny: 1,
      fatal_error: 1,
      stopped: 130,
    });
  });
});

describe("summary JSON and TXT", () => {
  it("writes seed 004's JSON and the one-line TXT beside it", async () => {
    await withTempDir(async (dir) => {
      const summary = buildSummary({
        steps: [ok(1, { done: true })],
        endReason: "done",
        stopOnDeny: true,
        phaseSummaryExists: true,
        runId: "run-7",
        agent: "shell",
        issue: 7,
      });
      const file = join(dir, "logs", "last_run_summary.json");
      const written = await writeSummary(file, summary);
      expect(written.txt).toBe(join(dir, "logs", "last_run_summary.txt"));
      const json = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
      expect(json).toMatchObject({
        phase: "done",
        step: 1,
        done: true,
        latest_step: "step_001.json",
        step_count: 1,
        phase_summary_exists: true,
        job_result_exists: false,
        job_result_written: false,
        job_payload_present: false,
        job_payload_size: 0,
        job_loop: { enabled: false, max_jobs: 0, job_name: "", current_job_index: 0, completed: false },
        end_reason: "done",
        denied_steps: [],
        denied_count: 0,
        stop_on_deny: true,
      });
      expect(json).not.toHaveProperty("job_result_path");
      expect(await readFile(written.txt, "utf8")).toBe(
        "phase=done step=1 done=True latest_step=step_001.json step_count=1 phase_summary=exists job_result=none " +
          "job_loop=disabled job_payload=none job_result_written=false job_payload_size=0 denied_steps=none denied_count=0 " +
          "fatal_error_steps=none fatal_error_count=0 stopped_steps=none stopped_count=0 stop_on_deny=true end_reason=done\n",
      );
      expect(await readdir(join(dir, "logs"))).toEqual(["last_run_summary.json", "last_run_summary.txt"]);
      expect(await readSummary(file)).toEqual(summary);
    });
  });

  const byReason: [EndReason, Parameters<typeof buildSummary>[0], string][] = [
    [
      "deny",
      {
        steps: [ok(1), ok(2, { phase: "deny", stopped: true })],
        endReason: "deny",
        stopOnDeny: true,
        endMessage: "deny_if_contains[0]: rm",
      },
      'phase=deny step=2 done=False latest_step=step_002.json step_count=2 phase_summary=exists job_result=none job_loop=disabled job_payload=none job_result_written=false job_payload_size=0 denied_steps=2 denied_count=1 fatal_error_steps=none fatal_error_count=0 stopped_steps=2 stopped_count=1 stop_on_deny=true end_reason=deny end_message="deny_if_contains[0]: rm"',
    ],
    [
      "fatal_error",
      {
        steps: [ok(1, { phase: "deny" }), ok(2), ok(3, { phase: "fatal_error" })],
        endReason: "fatal_error",
        stopOnDeny: false,
      },
      "phase=fatal_error step=3 done=False latest_step=step_003.json step_count=3 phase_summary=exists job_result=none job_loop=disabled job_payload=none job_result_written=false job_payload_size=0 denied_steps=1 denied_count=1 fatal_error_steps=3 fatal_error_count=1 stopped_steps=none stopped_count=0 stop_on_deny=false end_reason=fatal_error",
    ],
    [
      "stopped",
      { steps: [ok(1), ok(2, { stopped: true })], endReason: "stopped", stopOnDeny: true },
      "phase=stopped step=2 done=False latest_step=step_002.json step_count=2 phase_summary=exists job_result=none job_loop=disabled job_payload=none job_result_written=false job_payload_size=0 denied_steps=none denied_count=0 fatal_error_steps=none fatal_error_count=0 stopped_steps=2 stopped_count=1 stop_on_deny=true end_reason=stopped",
    ],
    [
      "budget_exhausted",
      { steps: [ok(1), ok(2), ok(3)], endReason: "budget_exhausted", stopOnDeny: true },
      "phase=budget_exhausted step=3 done=False latest_step=step_003.json step_count=3 phase_summary=exists job_result=none job_loop=disabled job_payload=none job_result_written=false job_payload_size=0 denied_steps=none denied_count=0 fatal_error_steps=none fatal_error_count=0 stopped_steps=none stopped_count=0 stop_on_deny=true end_reason=budget_exhausted",
    ],
    [
      "timeout",
      { steps: [ok(1, { stopped: true })], endReason: "timeout", stopOnDeny: true },
      "phase=timeout step=1 done=False latest_step=step_001.json step_count=1 phase_summary=exists job_result=none job_loop=disabled job_payload=none job_result_written=false job_payload_size=0 denied_steps=none denied_count=0 fatal_error_steps=none fatal_error_count=0 stopped_steps=1 stopped_count=1 stop_on_deny=true end_reason=timeout",
    ],
    [
      "job_loop_complete",
      {
        steps: [ok(1, { done: true })],
        endReason: "job_loop_complete",
        stopOnDeny: true,
        endMessage: "max_jobs(3) reached",
        jobLoop: { enabled: true, max_jobs: 3, job_name: "sample", current_job_index: 4, completed: true },
        jobResult: { path: "workspace/artifacts/job_result.json", exists: true, written: true },
        jobPayload: { present: true, size: 123 },
      },
      'phase=job_loop_complete step=1 done=True latest_step=step_001.json step_count=1 phase_summary=exists job_result=exists job_result_path=workspace/artifacts/job_result.json job_loop=enabled job_name=sample job_index=4 max_jobs=3 job_payload=present job_result_written=true job_payload_size=123 denied_steps=none denied_count=0 fatal_error_steps=none fatal_error_count=0 stopped_steps=none stopped_count=0 stop_on_deny=true end_reason=job_loop_complete end_message="max_jobs(3) reached"',
    ],
  ];
  for (const [reason, input, line] of byReason) {
    it(`writes JSON and TXT for end reason ${reason}`, async () => {
      await withTempDir(async (dir) => {
        const file = join(dir, "summary.json");
        const summary = buildSummary(input);
        expect(summary.end_reason).toBe(reason);
        await writeSummary(file, summary);
        expect(await readFile(join(dir, "summary.txt"), "utf8")).toBe(`${line}\n`);
        expect(formatSummaryLine(summary)).toBe(line);
        const json = await readSummary(file);
        expect(json.end_reason).toBe(reason);
        expect(json.denied_count).toBe(json.denied_steps.length);
        expect(json.fatal_error_count).toBe(json.fatal_error_steps.length);
        expect(json.stopped_count).toBe(json.stopped_steps.length);
      });
    });
  }

  it("quotes values with spaces in the TXT line and redacts both files", async () => {
    await withTempDir(async (dir) => {
      const secret = "summary-secret-123";
      const summary = buildSummary({
        steps: [ok(1, { phase: "fatal_error", file: "step 001.json" })],
        endReason: "fatal_error",
        stopOnDeny: true,
        endMessage: `API failed with key ${secret}`,
      });
      const file = join(dir, "s.json");
      await writeSummary(file, summary, { redactor: new Redactor({ secrets: [secret] }) });
      const txt = await readFile(join(dir, "s.txt"), "utf8");
      expect(txt).toContain('latest_step="step 001.json"');
      expect(txt).toContain('end_message="API failed with key ***"');
      expect(await readFile(file, "utf8")).not.toContain(secret);
    });
  });

  it("refuses an invalid summary and writes nothing", async () => {
    await withTempDir(async (dir) => {
      const summary = {
        ...buildSummary({ steps: [], endReason: "budget_exhausted", stopOnDeny: true }),
        end_reason: "crashed",
        step: -1,
      };
      // @ts-expect-error: invalid on purpose
      await expect(writeSummary(join(dir, "s.json"), summary)).rejects.toThrow(
        /run summary: 2 problems: \$\.step: .*\$\.end_reason/,
      );
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it("readSummary names the file and JSON path of a bad summary", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "s.json");
      await writeFile(
        file,
        JSON.stringify({
          ...buildSummary({ steps: [], endReason: "budget_exhausted", stopOnDeny: true }),
          denied_count: "x",
        }),
      );
      const error = await readSummary(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/s\.json: \$\.denied_count: /);
    });
  });
});
