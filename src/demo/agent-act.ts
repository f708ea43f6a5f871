import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { HandoffError } from "../errors.js";
import { Git } from "../git/git.js";
import type { Stage } from "./shared.js";

/** What the shell agent runs in place of an AI coding agent; the default policy allows `cp`. */
const SCRIPT = "cp release-notes.md CHANGELOG.md";

/**
 * The job act 2 hands to the agent: issue #1 on the repository's local forge. Its ```handoff block
 * gives the agent its parameters (the shell agent's script), as it would on GitHub.
 */
const ISSUE = {
  title: "Publish the release notes",
  body: [
    "The release-notes pipeline printed its notes into release-notes.md. Write them into CHANGELOG.md.",
    "",
    "```handoff",
    `script: ${SCRIPT}`,
    "```",
    "",
  ].join("\n"),
};

/**
 * The test playbook, run after the agent and after a rollback: the release notes must still be there
 * (`test` is allowed by the default policy).
 */
const PLAYBOOK = `name: notes
steps:
  - name: release-notes.md is there
    command: ["test", "-s", "release-notes.md"]
`;

/**
 * Act 2, steps 5–8, in a git repository inside the same temp folder, driven the way GitHub drives it
 * but offline: the release notes act 1 produced become issue #1; the `agent:shell` label starts the
 * agent, whose run (on its own branch, with checkpoint tags) opens a pull request and writes the
 * evidence; the shipped default policy denies a push; and `/rollback` on the pull request returns the
 * branch to its first checkpoint, keeping the old tip.
 */
export async function agentAct(stage: Stage, notes: string, from: number, total: number): Promise<void> {
  const { dir, root, say, indent, show, handoff, expect } = stage;
  const repo = join(dir, "repo");
  const policy = join(root, "policies", "default.yaml");
  const git = new Git(repo);
  const step = (n: number): string => `Step ${from + n}/${total}`;

  say("Act 2: the release notes become a job for an agent, started from an issue as on GitHub.");
  say("");
  say(`${step(0)}  Make a small git repository (repo/) holding the notes and a test playbook, and open`);
  say("          issue #1 on its local forge (files under .git/handoff/forge/, never in the tree).");
  await git.init({ initialBranch: "main" });
  // Commits need an identity; the demo sets one in this repository only, and signs nothing (a global
  // commit.gpgsign would otherwise ask for a key the demo does not have).
  await git.configSet("user.name", "Handoff demo");
  await git.configSet("user.email", "demo@handoff.invalid");
  await git.configSet("commit.gpgsign", "false");
  await git.configSet("tag.gpgsign", "false");
  const files: Record<string, string> = {
    "release-notes.md": notes,
    ".gitignore": ".worktrees/\n",
    ".handoff/playbook.yml": PLAYBOOK,
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), text);
  }
  await git.add();
  await git.commit("Add the release notes and a test playbook");
  for (const path of Object.keys(files)) say(`    │ ${path}`);
  await show(["issue", "create", "--title", ISSUE.title, "--body", ISSUE.body], 0, {
    cwd: repo,
    shown: `issue create --title '${ISSUE.title}' --body '…'`,
  });
  say("  The body ends with the agent's parameters, in a ```handoff block:");
  indent(ISSUE.body.slice(ISSUE.body.indexOf("```handoff")));
  say("  The repository has no .handoff/policy.yml, so runs use the shipped default policy");
  say(`  (${policy}): deny by default, allow what a coder needs.`);
  say("");

  say(`${step(1)}  Label the issue agent:shell. The shell agent stands in for an AI coding agent here: it`);
  say("          runs the issue's script (checked by the policy first); agent:claude-code would drive");
  say("          Claude Code instead. Is the script allowed?");
  await show(["policy", "check", "--policy", policy, "--", SCRIPT], 0, {
    shown: `policy check --policy ${policy} -- '${SCRIPT}'`,
    cwd: repo,
  });
  say("  On GitHub the label reaches the Handoff app, which dispatches the agent workflow; the local");
  say("  forge runs that workflow's work at once: the run on the issue branch, its pull request, the");
  say("  evidence comment, and the status comment's final state (progress lines come from the run).");
  await show(["issue", "label", "1", "agent:shell"], 0, { cwd: repo });
  await show(["pr", "list"], 0, { cwd: repo });
  const pulls = await handoff(["pr", "list", "--json"], { cwd: repo });
  expect(pulls, 0, "handoff pr list --json");
  const [pr] = JSON.parse(pulls.stdout) as { number: number; head: string }[];
  if (!pr) throw new HandoffError("demo: the agent's run opened no pull request");
  const branch = pr.head;
  if (!(await git.objects.lsTree(branch)).includes("CHANGELOG.md")) {
    throw new HandoffError(`demo: CHANGELOG.md is not on ${branch}`);
  }
  say(`  The agent's commit is on branch ${branch} (main is untouched), tagged by checkpoints:`);
  await show(["checkpoints", "--issue", "1"], 0, { cwd: repo });
  const [summary] = await summaries(repo);
  if (summary) {
    say("  The run's one-line summary (for CI logs and scripts), in its evidence folder:");
    indent(summary);
  }
  say("  Issue #1 now has the status comment (✅ succeeded, linking the run, the PR and the evidence)");
  say("  and the run's evidence comment; the same evidence is on the pull request:");
  await show(["issue", "show", "1"], 0, { cwd: repo });
  say("");

  say(`${step(2)}  The policy also says no. An agent trying to push is denied, naming the rule:`);
  await show(["policy", "check", "--policy", policy, "--", "git push origin main"], 1, {
    shown: `policy check --policy ${policy} -- 'git push origin main'`,
    cwd: repo,
  });
  say("");

  say(`${step(3)}  A reviewer wants the change undone: \`/rollback\` on the pull request returns the branch`);
  say("          to its first checkpoint (before the agent's commit), then runs the test playbook.");
  await show(["issue", "comment", String(pr.number), "--body", "/rollback handoff/checkpoint/1/1"], 0, {
    cwd: repo,
    shown: `issue comment ${pr.number} --body '/rollback handoff/checkpoint/1/1'`,
  });
  if ((await git.objects.lsTree(branch)).includes("CHANGELOG.md")) {
    throw new HandoffError(`demo: CHANGELOG.md is still on ${branch} after the rollback`);
  }
  const backups = await git.refs.forEachRef(["refs/handoff/backup/"], "%(refname)");
  if (backups.length === 0) throw new HandoffError("demo: the rollback left no backup ref");
  say(`  CHANGELOG.md is gone from ${branch}; the report is on #1 and #${pr.number}. The old tip is`);
  say("  kept, so nothing is lost:");
  for (const ref of backups) say(`    │ ${ref}`);
  say("");
}

/** The one-line summaries of the repository's runs (newest last). */
async function summaries(repo: string): Promise<string[]> {
  const evidence = join(repo, ".git", "handoff", "evidence");
  const runs = (await readdir(evidence)).sort();
  const lines: string[] = [];
  for (const run of runs) {
    const file = join(evidence, run, "summary.txt");
    if (existsSync(file)) lines.push((await readFile(file, "utf8")).trim());
  }
  return lines;
}
