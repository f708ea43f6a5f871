import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseYamlText } from "../util/validate.js";
import { readFile } from "node:fs/promises";
import { CONFIG_PATH, type HandoffConfig, parseHandoffConfig } from "./schema.js";

export * from "./schema.js";

/**
 * The config of the repository checked out at `root` (`.github/handoff.yml`; all defaults when the
 * file is absent). The CLI and the Action read it this way; the app reads it with `context.config()`.
 */
export async function loadHandoffConfig(root: string): Promise<HandoffConfig> {
  const file = join(root, CONFIG_PATH);
  if (!existsSync(file)) return parseHandoffConfig({}, file);
  return parseHandoffConfig(parseYamlText(await readFile(file, "utf8"), file), file);
}
