import { InvalidArgumentError, type Command } from "commander";
// Type-only: the module itself is loaded lazily by the actions below.
import type { PlaybookRunOptions } from "./playbook-actions.js";
import { printJson } from "../output.js";

function collectVar(raw: string, previous: Record<string, string>): Record<string, string> {
  const eq = raw.indexOf("=");
  if (eq <= 0) throw new InvalidArgumentError(`expected name=value, got "${raw}".`);
  return { ...previous, [raw.slice(0, eq)]: raw.slice(eq + 1) };
}

function parseMs(raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new InvalidArgumentError(`"${raw}" is not a number of milliseconds.`);
  return value;
}

/** `handoff playbook run|validate|schema`: executable YAML steps. */
export function registerPlaybook(program: Command): void {
  const playbook = program
    .command("playbook")
    .description("Run and validate playbooks: YAML steps with timeouts, retries, conditions and fail_fast");

  playbook
    .command("run")
    .description(
      "Run a playbook's steps in order. Exit 0 when every step passed or was skipped, 1 otherwise.",
    )
    .argument("<file>", "playbook file (YAML or JSON)")
    .option("--var <name=value>", "variable for step conditions (repeatable)", collectVar, {})
    .option("--policy <file>", "execution policy every command must pass (JSON or YAML)")
    .option("--cwd <dir>", "working directory of the steps (default: the current directory)")
    .option(
      "--retry-base-ms <ms>",
      "backoff base for retries, overriding the playbook's retry_base_seconds",
      parseMs,
    )
    .option(
      "--secret-env <name>",
      "environment variable whose value is masked in output tails (repeatable); token shapes are always masked",
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option("--json", "print the result as JSON")
    .action(async (file: string, opts: PlaybookRunOptions) => {
      const { runPlaybookCommand } = await import("./playbook-actions.js");
      await runPlaybookCommand(file, opts);
    });

  playbook
    .command("validate")
    .description("Validate a playbook file. Exit 0 valid, 1 invalid (every problem is listed).")
    .argument("<file>", "playbook file")
    .option("--json", "print the result as JSON")
    .action(async (file: string, opts: { json?: boolean }) => {
      const { validatePlaybookCommand } = await import("./playbook-actions.js");
      await validatePlaybookCommand(file, Boolean(opts.json));
    });

  playbook
    .command("schema")
    .description("Print the JSON Schema of playbook files")
    .action(async () => {
      const { jsonSchemaOf } = await import("./playbook-actions.js");
      printJson(await jsonSchemaOf("playbook"));
    });
}
