import { describe, expect, it } from "vitest";
import {
  COMMENT_LIMIT,
  type RunReport,
  evidenceMarker,
  renderEvidenceComment,
} from "../../src/evidence/index.js";
import { Redactor } from "../../src/redaction/index.js";

const SECRET = "comment-secret-value-77";

const report: RunReport = {
  run_id: "run-42",
  agent: "claude-code",
  issue: 12,
  end_reason: "deny",
  end_message: "stop_on_deny: rm -rf / was denied",
  branch: "handoff/issue-12-fix-login",
  pr_url: "https://github.com/acme/app/pull/13",
  checkpoint: "handoff/issue-12/cp-2",
  duration_ms: 192_000,
  steps: [
    { name: "install", status: "passed", exit_code: 0, attempts: 1, duration_ms: 12_300 },
    { name: "test | unit", status: "failed", exit_code: 1, attempts: 2, duration_ms: 800 },
    { name: "rm", status: "denied", exit_code: null },
  ],
  denied: [{ command: "rm -rf /", rule: "deny_if_contains[0]", reason: "contains rm -rf" }],
  tests: { command: "npm test", passed: 120, failed: 1, skipped: 3 },
  diff_stat: {
    files_changed: 2,
    insertions: 30,
    deletions: 4,
    files: [
      { path: "src/login.ts", insertions: 25, deletions: 4 },
      { path: "tests/login.test.ts", insertions: 5, deletions: 0 },
    ],
  },
  usage: { input_tokens: 12_345, output_tokens: 2_345, cost_usd: 0.4213 },
  artifact_url: "https://github.com/acme/app/actions/runs/1/artifacts/2",
  ledger_path: "logs/ci_evidence.jsonl",
  details: [{ title: "test output (tail)", body: "FAIL tests/login.test.ts\n  expected 1 to be 2\n" }],
};

describe("renderEvidenceComment", () => {
  it("renders the marker, outcome, facts, steps, denied commands, tests, diff, details and footer", () => {
    const md = renderEvidenceComment(report);
    expect(md.startsWith(`${evidenceMarker("run-42")}\n`)).toBe(true);
    expect(md).toContain("<!-- handoff:evidence run=run-42 -->");
    expect(md).toContain("### Handoff run `run-42`: ⛔ denied by policy (`deny`)");
    expect(md).toContain(
      "**Agent** `claude-code` · **Issue** #12 · **Branch** `handoff/issue-12-fix-login` · **PR** https://github.com/acme/app/pull/13 · **Checkpoint** `handoff/issue-12/cp-2` · **Duration** 3m 12s · **Tokens** 12,345 in / 2,345 out · **Cost** $0.42",
    );
    expect(md).toContain("> stop_on_deny: rm -rf / was denied");
    expect(md).toContain("| # | Step | Status | Exit | Attempts | Duration |");
    expect(md).toContain("| 1 | install | ✅ passed | 0 | 1 | 12.3 s |");
    expect(md).toContain("| 2 | test \\| unit | ❌ failed | 1 | 2 | 800 ms |");
    expect(md).toContain("| 3 | rm | ⛔ denied | – | – | – |");
    expect(md).toContain("**Denied commands** (1)");
    expect(md).toContain("| `rm -rf /` | `deny_if_contains[0]` | contains rm -rf |");
    expect(md).toContain("**Tests** ❌ 120 passed, 1 failed, 3 skipped (`npm test`)");
    expect(md).toContain("**Diff** 2 files changed, +30 −4");
    expect(md).toContain("| `src/login.ts` | +25 | −4 |");
    expect(md).toContain(
      "<details><summary>test output (tail)</summary>\n\n```text\nFAIL tests/login.test.ts",
    );
    expect(md).toContain(
      "Full evidence: [run artifact](https://github.com/acme/app/actions/runs/1/artifacts/2) · ledger `logs/ci_evidence.jsonl`",
    );
    expect(md).not.toContain("[!NOTE]");
  });

  it("shows each end reason distinctly and leaves out unknown facts", () => {
    const outcomes = new Set<string>();
    for (const end_reason of [
      "done",
      "deny",
      "fatal_error",
      "stopped",
      "budget_exhausted",
      "timeout",
      "job_loop_complete",
    ] as const) {
      const md = renderEvidenceComment({ run_id: "r", agent: "a", end_reason });
      const line = md.split("\n\n")[1]!;
      expect(line).toContain(`(\`${end_reason}\`)`);
      outcomes.add(line);
      expect(md).not.toContain("**Tokens**");
      expect(md).not.toContain("**Cost**");
      expect(md).not.toContain("| # | Step");
    }
    expect(outcomes.size).toBe(7);
  });

  it("redacts every part of the comment", () => {
    const md = renderEvidenceComment(
      {
        ...report,
        end_message: `failed with ${SECRET}`,
        denied: [{ command: `curl -u admin:${SECRET} https://x`, rule: "deny[1]" }],
        details: [{ title: `log ${SECRET}`, body: `token ghp_${"q1".repeat(18)}\n${SECRET}` }],
      },
      { redactor: new Redactor({ secrets: [SECRET] }) },
    );
    expect(md).not.toContain(SECRET);
    expect(md).not.toContain("ghp_");
    expect(md).toContain("failed with ***");
  });

  it("keeps code spans and fences intact around backticks and HTML", () => {
    const md = renderEvidenceComment({
      run_id: "r",
      agent: "a",
      end_reason: "deny",
      denied: [{ command: "echo `id` <script>", rule: "substitution" }],
      details: [{ title: "<b>x</b>", body: "```\nnested fence\n```" }],
    });
    expect(md).toContain("| `` echo `id` <script> `` | `substitution` |");
    expect(md).toContain("<summary>&lt;b&gt;x&lt;/b&gt;</summary>");
    expect(md).toContain("````text\n```\nnested fence\n```\n````");
  });

  it("never exceeds 65,536 characters: long details are cut to their end with a notice", () => {
    const body = Array.from({ length: 5000 }, (_, i) => `line ${i} of a very long test log output`).join(
      "\n",
    );
    const md = renderEvidenceComment({
      ...report,
      details: [
        { title: "huge log", body },
        { title: "second", body: "x" },
      ],
    });
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md.length).toBeGreaterThan(COMMENT_LIMIT - 5_000);
    expect(body.length).toBeGreaterThan(COMMENT_LIMIT);
    expect(md).toContain("line 4999 of a very long test log output");
    expect(md).not.toContain("line 0 of a very long");
    expect(md).toMatch(/… [\d,]+ characters cut …/);
    expect(md).toContain("GitHub's 65,536-character comment limit");
    expect(md).toContain(
      "Full evidence: [run artifact](https://github.com/acme/app/actions/runs/1/artifacts/2)",
    );
    expect(md).not.toContain("<summary>second</summary>");
    // Structure stays balanced: every fence and <details> is closed.
    expect(md.split("<details>").length).toBe(md.split("</details>").length);
    expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
  });

  it("cuts huge step and denied lists with a count and stays within the limit", () => {
    const steps = Array.from({ length: 5000 }, (_, i) => ({
      name: `step ${i} ${"n".repeat(200)}`,
      status: "passed" as const,
    }));
    const denied = Array.from({ length: 1000 }, (_, i) => ({ command: `rm -rf /tmp/${i}`, rule: "deny[0]" }));
    const md = renderEvidenceComment({ ...report, steps, denied });
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md).toContain("| … | 4,800 more steps not shown |");
    expect(md).toContain("| … 900 more | | |");
    expect(md).toContain("[!NOTE]");
  });

  it("cuts even a pathological report down to the limit", () => {
    const md = renderEvidenceComment({ ...report, end_message: "e".repeat(200_000) }, { limit: 10_000 });
    expect(md.length).toBeLessThanOrEqual(10_000);
    expect(md).toContain("[!NOTE]");
    expect(md.startsWith("<!-- handoff:evidence run=run-42 -->")).toBe(true);
  });

  it("rejects a report that does not match the schema, naming the field", () => {
    // @ts-expect-error: unknown end reason
    expect(() => renderEvidenceComment({ run_id: "r", agent: "a", end_reason: "oops" })).toThrow(
      /run report: \$\.end_reason/,
    );
  });
});
