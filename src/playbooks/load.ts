import { readFile } from "node:fs/promises";
import { ConfigError } from "../errors.js";
import { parseYamlText } from "../util/validate.js";
import { parsePlaybook, type Playbook } from "./schema.js";

/** Reads and validates a playbook file (YAML or JSON); a ConfigError lists every problem with its JSON path. */
export async function loadPlaybook(file: string): Promise<Playbook> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: cannot read (${code ?? (error as Error).message})`, file);
  }
  return parsePlaybook(parseYamlText(text, file), file);
}
