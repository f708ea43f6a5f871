import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { printJson } from "../output.js";
import { shellQuote } from "../../util/shell-quote.js";

export function registerThink(program: Command): void {
  program
    .command("think")
    .description(
      "Run a command in THINK mode (LLM_EXEC_SLOT=3); then list the LLM tasks it left pending, " +
        "with their runbooks and the command to answer each",
    )
    .argument("<command...>", "the command to run, after --")
    .option("--json", "print the pending tasks as JSON after the command's own output")
    .usage("[--json] -- COMMAND [ARGS...]")
    .addHelpText(
      "after",
      "\nExample:\n  handoff think -- node examples/release-notes.mjs\n\nExits with the command's exit code (75 when it stopped on a pending task).",
    )
    .action(async (command: string[], options: { json?: boolean }) => {
      const { runThink } = await import("../../llm/think.js");
      const outcome = await runThink(command).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot run ${command[0]}: ${error.code ?? error.message}`);
      });
      process.exitCode = outcome.exitCode ?? 1;
      if (options.json) {
        printJson({ exit_code: outcome.exitCode, queue_dir: outcome.queueDir, pending: outcome.pending });
        return;
      }
      const say = (line = ""): boolean => process.stderr.write(`${line}\n`);
      if (outcome.pending.length === 0) {
        say(
          `handoff think: the command exited ${outcome.exitCode ?? outcome.signal} and left no LLM task pending`,
        );
        return;
      }
      say();
      say(`handoff think: ${outcome.pending.length} LLM task(s) pending in ${outcome.queueDir}`);
      for (const task of outcome.pending) {
        say();
        say(`  ${task.id}${task.claimed_by ? ` (claimed by ${task.claimed_by})` : ""}`);
        say(`    runbook:  ${task.runbook_path ?? "(none mapped)"}`);
        say(`    read it:  handoff queue prompt ${task.id}`);
        say(
          `    answer:   LLM_AGENT_NAME=<you> handoff queue complete ${task.id} --content-file <answer-file>`,
        );
      }
      say();
      say(`then rerun: handoff think -- ${command.map(shellQuote).join(" ")}`);
    });
}
