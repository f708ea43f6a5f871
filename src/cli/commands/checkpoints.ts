import { type Command, Option } from "commander";
import { printJson, printLine, progress } from "../output.js";

interface CheckpointFlags {
  name?: string;
  issue?: string;
  note?: string;
  repo: string;
  json?: boolean;
}

interface RollbackFlags {
  to?: string;
  branch?: string;
  strategy: "reset" | "revert";
  playbook?: string;
  remote: string;
  push: boolean;
  test: boolean;
  repo: string;
  json?: boolean;
}

/** `handoff checkpoint` and `handoff rollback` (tag a checkpoint; return a branch to one). */
export function registerCheckpoints(program: Command): void {
  program
    .command("checkpoint")
    .description(
      "Tag the current commit as a checkpoint (annotated tag handoff/checkpoint/<issue>/<n>, or " +
        "handoff/checkpoint/manual/<name> with --name) and record it as the branch's last checkpoint",
    )
    .option("--name <name>", "name the checkpoint instead of numbering it (must be a valid git ref name)")
    .option("--issue <n>", "issue number the checkpoint belongs to (default: from a handoff/issue-N branch)")
    .option("--note <text>", "free text stored in the tag message")
    .option("--repo <dir>", "repository or worktree to work in", ".")
    .option("--json", "print the checkpoint as JSON")
    .action(async (flags: CheckpointFlags) => {
      const { Git, createCheckpoint } = await import("./checkpoints-actions.js");
      const git = new Git(flags.repo);
      const dirty = await git.isDirty();
      const checkpoint = await createCheckpoint(git, {
        name: flags.name,
        issue: flags.issue,
        note: flags.note,
      });
      if (dirty) {
        process.stderr.write(
          "handoff: warning: uncommitted changes are not part of the checkpoint (it tags HEAD)\n",
        );
      }
      if (flags.json) printJson({ ...checkpoint, dirty });
      else printLine(`checkpoint ${checkpoint.sha} ${checkpoint.tag}`);
    });

  program
    .command("checkpoints")
    .description("List checkpoints, oldest first: of an issue, reachable from a branch, or all of them")
    .option("--issue <n>", "only the checkpoints of this issue")
    .option("--branch <name>", "only checkpoints reachable from this branch")
    .option("--repo <dir>", "repository or worktree to work in", ".")
    .option("--json", "print the checkpoints as JSON")
    .action(async (flags: { issue?: string; branch?: string; repo: string; json?: boolean }) => {
      const { Git, listCheckpoints } = await import("./checkpoints-actions.js");
      const list = await listCheckpoints(new Git(flags.repo), { issue: flags.issue, branch: flags.branch });
      if (flags.json) printJson(list);
      else for (const c of list) printLine(`${c.tag} ${c.sha} ${c.date}`);
    });

  program
    .command("rollback")
    .description(
      "Return a branch to a checkpoint (default: its last one), saving the old tip under " +
        "refs/handoff/backup/, pushing with a lease, then running the test playbook; exits 1 if the tests fail",
    )
    .option("--to <tag|sha>", "checkpoint tag or commit to return to (default: the branch's last checkpoint)")
    .option("--branch <name>", "branch to roll back (default: the checked-out branch)")
    .addOption(
      new Option(
        "--strategy <strategy>",
        "reset: move the branch back; revert: add a commit restoring the target",
      )
        .choices(["reset", "revert"])
        .default("reset"),
    )
    .option("--playbook <file>", "test playbook to run after the rollback")
    .option("--remote <name>", "remote to push to when the branch has no upstream", "origin")
    .option("--no-push", "do not update the remote branch")
    .option("--no-test", "do not run the test playbook afterwards")
    .option("--repo <dir>", "repository or worktree to work in", ".")
    .option("--json", "print the result as JSON")
    .action(async (flags: RollbackFlags) => {
      const { Git, rollbackAndTest } = await import("./checkpoints-actions.js");
      const git = new Git(flags.repo);
      const { result, tests, exitCode } = await rollbackAndTest(git, {
        to: flags.to,
        branch: flags.branch,
        strategy: flags.strategy,
        remote: flags.remote,
        push: flags.push,
        test: flags.test,
        ...(flags.playbook ? { playbook: flags.playbook } : {}),
        onRolledBack: (r) =>
          progress(`rolled back ${r.branch} to ${r.to}${flags.test ? "; running tests…" : ""}`),
      });
      process.exitCode = exitCode;
      if (flags.json) {
        printJson({ ...result, tests });
        return;
      }
      printLine(`rollback ${result.sha}`);
      if (result.backupRef) printLine(`backup ${result.backupRef}`);
      if (result.push) printLine(`pushed ${result.push.remote}/${result.branch} ${result.push.sha}`);
      if (tests) {
        for (const step of tests.steps) printLine(`test ${step.status} ${step.name}`);
        printLine(
          tests.skipped ? `tests skipped: ${tests.reason}` : `tests ${tests.ok ? "passed" : "failed"}`,
        );
      }
    });
}
