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

/** A refusal and the problems behind it, one indented line each (a config's JSON paths, a file's fields). */
export function withProblems(message: string, problems: readonly string[]): string {
  return `${message}${problems.map((p) => `\n  ${p}`).join("")}`;
}
