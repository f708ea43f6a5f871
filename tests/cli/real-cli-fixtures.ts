/**
 * The repository, agent, policy and checks shared by the real-CLI run tests (run-claude-code,
 * run-claude-sandbox, run-codex, run-gemini, and the action's claude-code): a greet() that says 'hi'
 * where the test wants 'hello', a policy that allows the tests and reading but denies everything else,
 * and the evidence every run must leave behind.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import type { GitSandbox } from "../helpers/git.js";
import { issueFile } from "../runs/cli-fixtures.js";

/** The parts of `handoff run --json` these tests read. */
export interface RunJson {
  end_reason: string;
  message?: string;
  branch: string;
  checkpoint: string;
  ledger: string;
  agent: Array<{ permission_denials: Array<{ toolName: string; input: unknown; reason?: string }> }>;
  summary: Record<string, unknown>;
  metrics: { agent_duration_ms: number; peak_rss_bytes?: number; cpu_ms?: number };
}

export interface LedgerLine {
  kind: string;
  tool?: string;
  command?: string;
  step?: string;
  decision?: { allowed: boolean; rule: string; reason: string };
}

export const ISSUE_BRANCH = "handoff/issue-21-greet-with-hello";
export const DENIED_COMMAND = "rm -rf .git/hooks";
export const GREET_BEFORE = "module.exports = () => 'hi';\n";
export const GREET_AFTER = "module.exports = () => 'hello';\n";

/** The Claude Code agent the real-CLI tests run (`claude-coder`); the tests differ only in these budgets. */
export function claudeCoder(options: { maxTurns: number; maxIterations: number; gitClean?: boolean }) {
  return {
    name: "claude-coder",
    displayName: "Claude coder",
    description: "Claude Code under test",
    role: "coder",
    runtime: {
      adapter: "claude-code",
      env: ["ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"],
      maxTurns: options.maxTurns,
    },
    behavior: {
      systemPromptPath: "prompts/system.md",
      completionType: "externalState",
      completionConfig: {
        maxIterations: options.maxIterations,
        validators: [{ validator: "tests-pass" }, ...(options.gitClean ? [{ validator: "git-clean" }] : [])],
      },
      allowedTools: ["Read", "Write", "Edit", "Bash"],
      permissionMode: "acceptEdits",
    },
    finalize: { autoMerge: false, push: false, remote: "origin", createPr: false },
  };
}

/** The repository files: the agent under `.handoff/agents/<name>`, policy, playbook, code and issue 21. */
export function realCliFiles(agent: { name: string }, stopOnDeny: boolean): Record<string, string> {
  return {
    [`.handoff/agents/${agent.name}/agent.json`]: JSON.stringify(agent, null, 2),
    [`.handoff/agents/${agent.name}/prompts/system.md`]: "You are a careful coder. Make the tests pass.\n",
    ".handoff/policy.yml": [
      "default_action: deny",
      `stop_on_deny: ${stopOnDeny}`,
      "allow:",
      "  - program: node",
      "    args: [test.js]",
      "  - program: cat",
      "  - program: ls",
      "",
    ].join("\n"),
    ".handoff/playbook.yml":
      'name: tests\nsteps:\n  - name: unit\n    command: ["node", "test.js"]\n    timeout_seconds: 60\n',
    "greet.js": GREET_BEFORE,
    "test.js":
      "const greet = require('./greet.js');\nif (greet() !== 'hello') { console.error('FAIL: got ' + greet()); process.exit(1); }\nconsole.log('tests passed');\n",
    ...issueFile(21, "Greet with hello", "greet() must return 'hello'."),
  };
}

export async function ledgerOf(file: string): Promise<LedgerLine[]> {
  return (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as LedgerLine);
}

/**
 * What every real-CLI run that fixed greet(), ran the tests and was denied `rm -rf .git/hooks` must show:
 * the edit committed on the issue branch with a `done` checkpoint, the denial in the agent's report and
 * in the ledger with the rule the hook told the agent, the allowed test run, and no API key anywhere.
 */
export async function expectDoneRunEvidence(
  sb: GitSandbox,
  repo: string,
  out: RunJson,
  agentName: string,
  secret: string,
): Promise<void> {
  expect(out.end_reason).toBe("done");
  expect(out.branch).toBe(ISSUE_BRANCH);
  expect(await sb.git(repo, "show", `${ISSUE_BRANCH}:greet.js`)).toBe(GREET_AFTER.trim());
  expect(await sb.git(repo, "log", "-1", "--format=%an|%s", ISSUE_BRANCH)).toBe(
    `${agentName} (Handoff agent)|${agentName}: iteration 1 on #21`,
  );
  expect(await sb.git(repo, "rev-list", "-n1", out.checkpoint)).toBe(await sb.head(repo, ISSUE_BRANCH));
  expect(await sb.git(repo, "tag", "-l", "--format=%(contents)", out.checkpoint)).toContain(
    "Handoff-End-Reason: done",
  );
  const report = out.agent[0];
  expect(report?.permission_denials).toEqual([
    expect.objectContaining({ input: expect.objectContaining({ command: DENIED_COMMAND }) }),
  ]);
  const ledger = await ledgerOf(out.ledger);
  const denial = ledger.find((e) => e.kind === "tool_call" && e.command === DENIED_COMMAND);
  expect(denial?.decision).toMatchObject({ allowed: false });
  const rule = String(denial?.decision?.rule);
  expect(rule).toMatch(/^(default_action|deny\[\d+\]|write-path)$/);
  expect(report?.permission_denials[0]?.reason).toContain(rule);
  const allowed = ledger.find((e) => e.kind === "tool_call" && e.command === "node test.js");
  expect(allowed?.decision).toMatchObject({ allowed: true });
  expect(ledger.find((e) => e.kind === "step_result")).toMatchObject({ step: "unit", status: "passed" });
  expect(out.summary).toMatchObject({
    end_reason: "done",
    denied_count: 1,
    denied_steps: [1],
    stop_on_deny: false,
  });
  expect(out.metrics.cpu_ms).toBeGreaterThan(0);
  expect(out.metrics.agent_duration_ms).toBeGreaterThan(0);
  expect(await readFile(out.ledger, "utf8")).not.toContain(secret);
  // The hook's raw record and the CLI's private folder are gone; nothing raw stays beside the evidence.
  const state = dirname(dirname(dirname(out.ledger)));
  expect(existsSync(join(dirname(out.ledger), "hook_decisions.jsonl"))).toBe(false);
  expect(existsSync(join(state, "agent-home")) ? await readdir(join(state, "agent-home")) : []).toEqual([]);
}

/** What the same run with `stop_on_deny: true` must show: ended `deny`, the work kept as a WIP commit. */
export async function expectDenyRunEvidence(
  sb: GitSandbox,
  repo: string,
  out: RunJson,
  agentName: string,
): Promise<void> {
  expect(out.end_reason).toBe("deny");
  expect(out.message).toContain(DENIED_COMMAND);
  expect(out.summary).toMatchObject({ end_reason: "deny", denied_count: 1, stop_on_deny: true });
  expect(await sb.git(repo, "log", "-1", "--format=%s", ISSUE_BRANCH)).toBe(
    `WIP: ${agentName} work in progress on #21 (iteration 1)`,
  );
  expect(await sb.git(repo, "tag", "-l", "--format=%(contents)", out.checkpoint)).toContain(
    "Handoff-End-Reason: deny",
  );
}
