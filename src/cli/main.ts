import { Command, CommanderError } from "commander";
import { ExitCode, HandoffError } from "../errors.js";
import { registerCommands } from "./commands/index.js";
import { describeErrno, errnoCode } from "../util/fs.js";
import { VERSION } from "../version.js";

const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    failure: denied, invalid, tests failed
  2    bad usage, bad input file, or a file that cannot be read or written
       (the message names the file, JSON path or option)
  3    conflict: already claimed or completed, dirty tree, lease lost
  4    not found: unknown task id, agent or checkpoint
  75   an LLM task is pending: answer it, then rerun the same command
  130  interrupted (SIGINT/SIGTERM)`;

/** Builds the `handoff` command tree. Heavy modules load inside actions, so `--help` stays instant. */
export function buildProgram(): Command {
  const program = new Command("handoff")
    .description("Hand work between pipelines, AI coding agents and people through GitHub.")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", EXIT_CODES_HELP);
  registerCommands(program);
  // Every subcommand shows the exit codes too, and throws instead of calling process.exit.
  const configure = (command: Command): void => {
    command.exitOverride();
    for (const sub of command.commands) {
      if (sub !== program) sub.addHelpText("after", EXIT_CODES_HELP);
      configure(sub);
    }
  };
  configure(program);
  return program;
}

/** Runs the CLI and returns the process exit code. Errors become one line on stderr. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.ok;
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed help or the usage error.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof HandoffError) {
    process.stderr.write(`handoff: ${error.message}\n`);
    return error.exitCode;
  }
  const code = errnoCode(error);
  const path = (error as NodeJS.ErrnoException | undefined)?.path;
  if (code && path) {
    // A filesystem error no caller named more precisely: still one line naming the file, no stack.
    process.stderr.write(`handoff: ${path}: ${describeErrno(code)}\n`);
    return ExitCode.usage;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`handoff: unexpected error: ${message}\n`);
  return ExitCode.failure;
}
