// Layers that hold when the policy is bypassed on purpose (an allow-all policy): a change touching a
// protected path never reaches the branch (it ends the run `deny` and waits on a quarantine ref), and
// a commit carrying a registered secret is never pushed (the refusal names file and line, not the value).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runJob } from "../../src/runs/loop.js";
import { CLI } from "../helpers/cli.js";
import { withGitSandbox } from "../helpers/git.js";
import { setupRepo } from "./cli-fixtures.js";
import { job, nodeAgent, writeAgent } from "./fixtures.js";

const DONE = {
  systemPromptPath: "prompts/system.md",
  completionType: "iterationBudget",
  completionConfig: { maxIterations: 1 },
};

async function ledger(file: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A command agent that writes `files` (base64 inside: the args template reads braces as placeholders). */
const write = (files: Record<string, string>) => {
  const data = Buffer.from(JSON.stringify(files)).toString("base64");
  const recursive = Buffer.from(JSON.stringify({ recursive: true })).toString("base64");
  const json = (b64: string) => `JSON.parse(Buffer.from('${b64}','base64').toString())`;
  return `const fs=require('fs'),p=require('path'),m=${json(data)};for(const f of Object.keys(m))fs.mkdirSync(p.dirname(f),${json(recursive)}),fs.writeFileSync(f,m[f]);`;
};

describe("protected paths on the diff before commit", () => {
  for (const [name, files] of [
    ["a workflow", { ".github/workflows/ci.yml": "on: push\n", "src/ok.txt": "fine\n" }],
    ["Handoff's own config", { ".handoff/policy.yml": "default_action: allow\n" }],
    ["an agent definition", { "agents/coder/agent.json": "{}\n" }],
    ["git attributes", { ".gitattributes": "* filter=evil\n" }],
  ] as const) {
    it(`refuses ${name}: the run ends deny, the branch keeps nothing, the change waits on a quarantine ref`, async () => {
      await withGitSandbox(async (sb) => {
        const repo = await setupRepo(sb, {});
        await sb.bareOrigin(repo);
        const agent = await writeAgent(sb.root, "writer", {
          runtime: nodeAgent(write(files)),
          behavior: DONE,
          finalize: { autoMerge: false, push: true, remote: "origin", createPr: false },
        });
        const before = await sb.git(repo, "rev-parse", "main");
        const outcome = await runJob({
          repo,
          agent,
          job: job(),
          policy: join(repo, ".handoff/policy.yml"),
          handoffCli: CLI,
        });
        expect(outcome.endReason).toBe("deny");
        const first = Object.keys(files)[0]!;
        expect(outcome.message).toContain(first);
        expect(await sb.git(repo, "rev-parse", outcome.branch!)).toBe(before);
        const quarantine = (
          await sb.git(repo, "for-each-ref", "--format=%(refname)", "refs/handoff/quarantine/")
        ).split("\n");
        expect(quarantine).toHaveLength(1);
        const kept = await sb.git(repo, "show", "--name-only", "--format=", quarantine[0]!);
        for (const file of Object.keys(files)) expect(kept).toContain(file);
        // Nothing was pushed, and the quarantine ref is not on the remote either.
        expect(await sb.git(repo, "ls-remote", "origin")).not.toMatch(/issue-4|quarantine/);
        const events = await ledger(join(outcome.evidenceDir!, "ci_evidence.jsonl"));
        expect(events.some((e) => e.kind === "quarantine")).toBe(true);
        expect(events.some((e) => e.kind === "push")).toBe(false);
      });
    });
  }
});

describe("a secret scan of the pushed commits before every push", () => {
  it("refuses to push a commit carrying a --secret-env value, naming file and line, never the value", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {});
      await sb.bareOrigin(repo);
      const secret = "s3cr3t-value-registered-for-the-run";
      const agent = await writeAgent(sb.root, "writer", {
        runtime: nodeAgent(write({ "notes.md": `line one\nthe key is ${secret}\n`, "ok.txt": "fine\n" })),
        behavior: DONE,
        finalize: { autoMerge: false, push: true, remote: "origin", createPr: false },
      });
      const outcome = await runJob({
        repo,
        handoffCli: CLI,
        agent,
        job: job(),
        policy: join(repo, ".handoff/policy.yml"),
        env: { ...process.env, DEPLOY_KEY: secret },
        secretEnv: ["DEPLOY_KEY"],
      });
      expect(outcome.endReason).toBe("deny");
      expect(outcome.message).toContain("notes.md:2");
      expect(outcome.message).not.toContain(secret);
      expect(await sb.git(repo, "ls-remote", "origin")).not.toContain("issue-4");
      const text = await readFile(join(outcome.evidenceDir!, "ci_evidence.jsonl"), "utf8");
      expect(text).not.toContain(secret);
      const refused = (await ledger(join(outcome.evidenceDir!, "ci_evidence.jsonl"))).find(
        (e) => e.kind === "push_refused",
      );
      expect(refused?.findings).toEqual([expect.objectContaining({ file: "notes.md", line: 2 })]);
    });
  });

  it("refuses a token shape the redactor knows, and still pushes clean work", async () => {
    await withGitSandbox(async (sb) => {
      const repo = await setupRepo(sb, {});
      await sb.bareOrigin(repo);
      const token = `ghp_${"A1b2C3d4E5".repeat(3)}123456`;
      const agent = await writeAgent(sb.root, "writer", {
        runtime: nodeAgent(
          write({ "src/config.js": `module.exports = {\n  a: 1,\n  token: "${token}",\n};\n` }),
        ),
        behavior: DONE,
        finalize: { autoMerge: false, push: true, remote: "origin", createPr: false },
      });
      const refused = await runJob({
        repo,
        agent,
        job: job(),
        policy: join(repo, ".handoff/policy.yml"),
        handoffCli: CLI,
      });
      expect(refused.endReason).toBe("deny");
      expect(refused.message).toContain("src/config.js:3");
      expect(refused.message).not.toContain(token);

      const clean = await writeAgent(sb.root, "clean", {
        runtime: nodeAgent(write({ "hello.txt": "hello\n" })),
        behavior: DONE,
        finalize: { autoMerge: false, push: true, remote: "origin", createPr: false },
      });
      const pushed = await runJob({
        repo,
        handoffCli: CLI,
        agent: clean,
        job: job(5, "Say hello"),
        policy: join(repo, ".handoff/policy.yml"),
      });
      expect(pushed.endReason).toBe("done");
      expect(await sb.git(repo, "ls-remote", "origin")).toContain(pushed.branch!);
    });
  });
});
