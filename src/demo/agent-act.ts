import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { HandoffError } from "../errors.js";
import { Git } from "../git/git.js";
import type { Stage } from "./shared.js";

/** The job act 2 hands to the agent: issue #1 on the repository's local forge. */
const ISSUE = {
  title: "Publish the release notes",
  body: "The release-notes pipeline printed its notes into release-notes.md. Write them into CHANGELOG.md.",
};

/** The test playbook: after the agent, CHANGELOG.md must exist (`test` is allowed by the default policy). */
const PLAYBOOK = `name: changelog
steps:
  - name: CHANGELOG.md exists
    command: ["test", "-f", "CHANGELOG.md"]
`;

/** What the shell agent runs in place of an AI coding agent; the default policy allows `cp`. */
const SCRIPT = "cp release-notes.md CHANGELOG.md";

/**
 * Act 2, steps 5–8, in a git repository inside the same temp folder: the release notes act 1 produced
 * become job #1 for an agent (`handoff run`, on its own branch, with checkpoint tags); a command the
 * shipped default policy denies; and a rollback of the issue branch to its first checkpoint.
 */
export async function agentAct(stage: Stage, notes: string, from: number, total: number): Promise<void> {
  const { dir, root, say, indent, show } = stage;
  const repo = join(dir, "repo");
  const policy = join(root, "policies", "default.yaml");
  const git = new Git(repo);
  const step = (n: number): string => `Step ${from + n}/${total}`;

  say("Act 2: the release notes become a job for an agent.");
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
  say("  The repository has no .handoff/policy.yml, so runs use the shipped default policy");
  say(`  (${policy}): deny by default, allow what a coder needs.`);
  say("");

  say(`${step(1)}  Hand job #1 to an agent. The shell agent stands in for an AI coding agent here: it runs`);
  say("          one script (checked by the policy first). With `--agent claude-code` the same run");
  say("          drives Claude Code instead. First, is the script allowed?");
  await show(["policy", "check", "--policy", policy, "--", SCRIPT], 0, {
    shown: `policy check --policy ${policy} -- '${SCRIPT}'`,
    cwd: repo,
  });
  const ran = await show(
    ["run", "--issue", "1", "--agent", "shell", "--script", SCRIPT, "--summary-file", "../run-summary.json"],
    0,
    {
      cwd: repo,
      shown: `run --issue 1 --agent shell --script '${SCRIPT}' --summary-file ../run-summary.json`,
    },
  );
  const branch = /\(branch (\S+), checkpoint/.exec(ran.stdout + ran.stderr)?.[1];
  if (!branch) throw new HandoffError("demo: handoff run named no issue branch");
  say("  The one-line summary (for CI logs and scripts):");
  say("  $ cat run-summary.txt");
  indent(await readFile(join(dir, "run-summary.txt"), "utf8"));
  if (!(await git.objects.lsTree(branch)).includes("CHANGELOG.md")) {
    throw new HandoffError(`demo: CHANGELOG.md is not on ${branch}`);
  }
  say(`  The agent's commit is on branch ${branch} (main is untouched), tagged by checkpoints:`);
  await show(["checkpoints", "--issue", "1"], 0, { cwd: repo });
  say("  The run's evidence comment is on issue #1 (on GitHub, the same comment lands on the issue):");
  await show(["issue", "show", "1"], 0, { cwd: repo });
  say("");

  say(`${step(2)}  The policy also says no. An agent trying to push is denied, naming the rule:`);
  await show(["policy", "check", "--policy", policy, "--", "git push origin main"], 1, {
    shown: `policy check --policy ${policy} -- 'git push origin main'`,
    cwd: repo,
  });
  say("");

  say(`${step(3)}  Roll the issue branch back to its first checkpoint (before the agent's commit).`);
  say("          --no-test: the playbook checks that CHANGELOG.md exists, which after this rollback");
  say("          it rightly does not.");
  await show(["rollback", "--branch", branch, "--to", "handoff/checkpoint/1/1", "--no-test"], 0, {
    cwd: repo,
  });
  if ((await git.objects.lsTree(branch)).includes("CHANGELOG.md")) {
    throw new HandoffError(`demo: CHANGELOG.md is still on ${branch} after the rollback`);
  }
  const backups = await git.refs.forEachRef(["refs/handoff/backup/"], "%(refname)");
  if (backups.length === 0) throw new HandoffError("demo: the rollback left no backup ref");
  say(`  CHANGELOG.md is gone from ${branch}. The old tip is kept, so nothing is lost:`);
  for (const ref of backups) say(`    │ ${ref}`);
  say("");
}
