import { readFile } from "node:fs/promises";
import { UsageError } from "../errors.js";
import { cannotRead, parseJsonText } from "../util/validate.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The text of a file given on the command line; `-` reads standard input. */
export async function readTextInput(file: string, option: string): Promise<string> {
  if (file === "-") return readStdin();
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`${option} ${file}: ${cannotRead(error)}`);
  }
}

/** A JSON file given on the command line, parsed; malformed JSON names the file. */
export async function readJsonInput(file: string, option: string): Promise<unknown> {
  return parseJsonText(await readTextInput(file, option), file === "-" ? `${option} (stdin)` : file);
}
