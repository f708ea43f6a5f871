import type { Command } from "commander";
// The registry holds only names and lazy loaders, so importing it here keeps `--help` fast.
import { SCHEMA_KINDS } from "../../schemas.js";
import { printJson } from "../output.js";

export function registerSchema(program: Command): void {
  const width = Math.max(...Object.keys(SCHEMA_KINDS).map((name) => name.length));
  const kinds = Object.entries(SCHEMA_KINDS)
    .map(([name, kind]) => `  ${name.padEnd(width)}  ${kind.description}`)
    .join("\n");
  program
    .command("schema")
    .description("Print the JSON Schema (draft 2020-12) of a Handoff file format")
    .argument("<kind>", `one of: ${Object.keys(SCHEMA_KINDS).join(", ")}`)
    .addHelpText("after", `\nKinds:\n${kinds}`)
    .action(async (kind: string) => {
      const { jsonSchemaOf } = await import("../../schemas.js");
      printJson(await jsonSchemaOf(kind));
    });
}
