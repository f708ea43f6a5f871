import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";
import { withTempDir } from "../helpers/temp.js";
import { commandAgent, issueFile, setupRepo } from "../runs/cli-fixtures.js";

const BOMB = [
  "a: &a [x, x, x, x, x, x, x, x, x]",
  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
  "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
  "",
].join("\n");

describe("YAML aliases are limited and reported with file and line (issue 13 §12)", () => {
  it("an undefined alias or an alias bomb in a playbook, a policy or the runbook index: exit 2", async () => {
    await withTempDir(async (dir) => {
      const files = {
        "playbook.yml": "name: p\nsteps:\n  - name: a\n    command: *nope\n",
        "bomb.yml": BOMB,
        "policy.yml": "default_action: allow\nallow: *nope\n",
        "runbooks.yml": "default: *nope\n",
        "m.json": JSON.stringify([{ role: "user", content: "x" }]),
      };
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
      const cases: Array<[string[], Record<string, string>, RegExp]> = [
        [
          ["playbook", "run", "playbook.yml"],
          {},
          /^handoff: playbook\.yml: malformed YAML at line 4, column 14: alias \*nope has no anchor/,
        ],
        [
          ["playbook", "run", "bomb.yml"],
          {},
          /^handoff: bomb\.yml: malformed YAML at line 2, column \d+: aliases expand more than 100 times/,
        ],
        [
          ["policy", "check", "--policy", "policy.yml", "ls"],
          {},
          /^handoff: policy\.yml: malformed YAML at line 2, column 8: alias \*nope/,
        ],
        [
          ["policy", "check", "--policy", "bomb.yml", "ls"],
          {},
          /^handoff: bomb\.yml: malformed YAML at line 2/,
        ],
        [
          ["llm", "complete", "--task", "t", "--messages-file", "m.json"],
          { LLM_EXEC_SLOT: "3", LLM_AGENT_QUEUE_DIR: "q", LLM_AGENT_RUNBOOKS_CONFIG: "runbooks.yml" },
          /^handoff: \S*runbooks\.yml: malformed YAML at line 1, column 10: alias \*nope/,
        ],
      ];
      for (const [args, env, message] of cases) {
        const run = await runCli(args, { cwd: dir, env });
        expect([run.code, run.stderr], args.join(" ")).toEqual([2, expect.stringMatching(message)]);
        expect(run.stderr).not.toContain("    at ");
      }
      expect(await readdir(dir)).not.toContain("q");
    });
  });
});

describe("bad job input and summaries say what is wrong and where (issue 13 §17)", () => {
  it("a malformed job_input.json stops the run with exit 2 naming the file", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {
        ...commandAgent("jobs", "require('fs').writeFileSync('x.txt', 'x')"),
        ...issueFile(15, "Jobs"),
      });
      const input = join(sb.root, "job_input.json");
      const args = ["run", "--issue", "15", "--agent", "jobs", "--max-jobs", "2", "--job-input", input];
      for (const [text, message] of [
        ['{"job_name": "sample", ', `${input}: malformed JSON`],
        ['["not", "an", "object"]', `${input}: $: Invalid input: expected object, received array`],
        ['{"job_name": 7}', `${input}: $.job_name: Invalid input: expected string, received number`],
      ] as const) {
        await writeFile(input, text);
        const run = await runCli(args, { cwd: repo });
        expect([run.code, run.stderr], text).toEqual([2, expect.stringContaining(`handoff: ${message}`)]);
        // Refused before any worktree or branch was made.
        expect(
          await sb.gitResult(repo, "rev-parse", "--verify", "-q", "refs/heads/handoff/issue-15-jobs"),
        ).toMatchObject({ code: 1 });
      }
    });
  });

  it("handoff test on a malformed or invalid summary exits 2 naming the file", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "summary.json");
      for (const [text, message] of [
        ['{"end_reason": ', `${file}: malformed JSON`],
        ['{"end_reason": "done"}', `${file}: `],
      ] as const) {
        await writeFile(file, text);
        const run = await runCli(["test", "--summary-file", file], { cwd: dir });
        expect([run.code, run.stderr]).toEqual([2, expect.stringContaining(`handoff: ${message}`)]);
        expect(run.stderr).not.toContain("unexpected error");
      }
    });
  });
});
