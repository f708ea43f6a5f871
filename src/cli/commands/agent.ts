import type { Command } from "commander";
import type { AgentCheck } from "../../agents/load.js";
import * as output from "../output.js";
import { printJson } from "../output.js";

export { parameterOptions, parameterValues } from "./agent-parameters.js";

/** `handoff agent validate|list|show|schema`: inspect the agent definitions Handoff can run. */
export function registerAgent(program: Command): void {
  const agent = program
    .command("agent")
    .description("Inspect and validate agent definitions (agents/<name>/agent.json)");

  agent
    .command("validate")
    .description(
      "Validate agent folders (or agent names); with none, every agent found. Exit 0 valid, 1 invalid.",
    )
    .argument("[dirs...]", "agent folders or names")
    .option("--json", "print the result as JSON")
    .action(async (dirs: string[], opts: { json?: boolean }) => {
      const { validateTargets } = await import("./agent-actions.js");
      const checks = await validateTargets(dirs);
      if (opts.json) {
        output.printJson(
          checks.map((c) => ({
            dir: c.dir,
            name: c.definition?.name,
            valid: Boolean(c.definition),
            problems: c.problems,
          })),
        );
      } else {
        if (checks.length === 0) output.printLine("no agents found");
        for (const check of checks) printCheck(check, output.printLine);
      }
      if (checks.length === 0 || checks.some((c) => !c.definition)) process.exitCode = 1;
    });

  agent
    .command("list")
    .description("List the agents found in .handoff/agents, agents/ and the agents shipped with Handoff")
    .option("--json", "print the list as JSON")
    .action(async (opts: { json?: boolean }) => {
      const { listRows } = await import("./agent-actions.js");
      const rows = await listRows();
      if (opts.json) return output.printJson(rows);
      if (rows.length === 0) return output.printLine("no agents found");
      const width = Math.max(...rows.map((r) => r.name.length), 4);
      output.printLine(`${"NAME".padEnd(width)}  ${"ROLE".padEnd(10)}  ${"ADAPTER".padEnd(11)}  DESCRIPTION`);
      for (const row of rows) {
        const description = row.valid
          ? row.description
          : `INVALID (${row.problems.length} problem${row.problems.length === 1 ? "" : "s"}; run handoff agent validate ${row.name})`;
        output.printLine(
          `${row.name.padEnd(width)}  ${(row.role ?? "-").padEnd(10)}  ${(row.adapter ?? "-").padEnd(11)}  ${description ?? ""}`,
        );
      }
    });

  agent
    .command("show")
    .description("Show one agent: role and capabilities, runtime, completion, parameters, steps")
    .argument("<name>", "agent name")
    .option("--json", "print the definition as JSON")
    .action(async (name: string, opts: { json?: boolean }) => {
      const { showAgent } = await import("./agent-actions.js");
      await showAgent(name, Boolean(opts.json));
    });

  agent
    .command("schema")
    .description("Print the JSON Schema of agent.json (or of steps_registry.json with --registry)")
    .option("--registry", "the steps registry schema instead")
    .action(async (opts: { registry?: boolean }) => {
      const { jsonSchemaOf } = await import("./agent-actions.js");
      printJson(await jsonSchemaOf(opts.registry ? "steps-registry" : "agent"));
    });
}

function printCheck(check: AgentCheck, printLine: (line: string) => void): void {
  if (check.definition) {
    printLine(`valid    ${check.definition.name}  ${check.dir}`);
    return;
  }
  printLine(
    `invalid  ${check.dir} (${check.problems.length} problem${check.problems.length === 1 ? "" : "s"})`,
  );
  for (const problem of check.problems) printLine(`  ${problem}`);
}
