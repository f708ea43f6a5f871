import { parseYamlText, readConfigText } from "../util/validate.js";
import { parsePlaybook, type Playbook } from "./schema.js";

/** Reads and validates a playbook file (YAML or JSON); a ConfigError lists every problem with its JSON path. */
export async function loadPlaybook(file: string): Promise<Playbook> {
  return parsePlaybook(parseYamlText(await readConfigText(file), file), file);
}
