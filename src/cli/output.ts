/** Output helpers shared by the commands: data on stdout, progress and notices on stderr. */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** Progress is for people watching a terminal; CI logs and `--json` stay quiet and structured. */
export function progress(line: string): void {
  if (process.stderr.isTTY && !process.env.CI) process.stderr.write(`${line}\n`);
}
