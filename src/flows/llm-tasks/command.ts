/**
 * Reading a `/complete` comment. `/complete` must be the comment's first token; the answer is the first
 * fenced block (``` or ~~~, any length, any info string), else everything after the command.
 */

/** A parsed `/complete`: the answer content, exactly as the pipeline's LLM call will return it. */
export interface CompleteCommand {
  content: string;
  /** Where the content came from, for the reply. */
  source: "fenced block" | "comment text";
}

const COMMAND = /^\s*\/complete(?=\s|$)/;

/** Whether a comment is a `/complete` command at all (cheap: handlers ask this first). */
export function isCompleteCommand(body: string): boolean {
  return COMMAND.test(body);
}

/** The command's answer, or null when the comment is not a `/complete`. Windows newlines are normalised. */
export function parseCompleteCommand(body: string): CompleteCommand | null {
  const text = body.replace(/\r\n?/g, "\n");
  const match = COMMAND.exec(text);
  if (!match) return null;
  const rest = text.slice(match[0].length);
  const block = firstFencedBlock(rest);
  if (block !== null) return { content: block, source: "fenced block" };
  return { content: rest.trim(), source: "comment text" };
}

/**
 * The content of the first fenced code block (CommonMark: a line of 3+ backticks or tildes, closed by a
 * line of the same character at least as long; an unclosed block runs to the end). With `info`, the
 * first block whose info string's first word is `info` (other blocks, and what they hold, are skipped).
 */
export function firstFencedBlock(text: string, info?: string): string | null {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    // A backtick fence's info string may not contain backticks (then it is inline code, not a fence).
    if (fence[0] === "`" && open[2]!.includes("`")) continue;
    const close = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j]!); j++) body.push(lines[j]!);
    if (info === undefined || open[2]!.trim().split(/\s+/)[0] === info) return body.join("\n");
    i = j;
  }
  return null;
}
