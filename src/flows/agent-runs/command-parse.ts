/**
 * Reading a slash command: the first token of a new comment. `/complete` belongs to the LLM-task flow
 * and is not read here; any other `/word` is a command, known or not (an unknown one gets the help).
 */

export type Strategy = "reset" | "revert";

export type AgentCommand =
  | { name: "rollback"; checkpoint: string | null; strategy: Strategy }
  | { name: "retry" }
  | { name: "stop" }
  | { name: "status" }
  /** A known command with arguments it does not take. */
  | { name: "invalid"; command: string; message: string }
  | { name: "unknown"; word: string };

/** The commands this flow answers, for the help text. */
export const COMMAND_HELP = [
  [
    "/rollback [checkpoint] [--strategy revert]",
    "return the issue's branch to a checkpoint (default: its last)",
  ],
  ["/retry", "run the last agent again"],
  ["/stop", "cancel the issue's running workflow run"],
  ["/status", "refresh the status comment"],
] as const;

const FIRST = /^\s*\/([A-Za-z][\w-]*)(?=\s|$)/;

/** Commands other flows own. */
const NOT_OURS = new Set(["complete"]);

// A checkpoint is a tag name (`handoff/checkpoint/7/2`) or a short name; nothing a shell or a ref
// parser could read as more than one word.
const CHECKPOINT = /^[A-Za-z0-9][\w./-]{0,199}$/;

/** The command of a comment, or null when the comment is not one of ours. */
export function parseAgentCommand(body: string): AgentCommand | null {
  const match = FIRST.exec(body);
  if (!match) return null;
  const word = match[1]!.toLowerCase();
  if (NOT_OURS.has(word)) return null;
  // Arguments are the rest of the command's line; the lines below are free text for people.
  const args = body.slice(match[0].length).split(/\r?\n/, 1)[0]!.trim().split(/\s+/).filter(Boolean);
  switch (word) {
    case "rollback":
      return parseRollback(args);
    case "retry":
    case "stop":
    case "status":
      return args.length
        ? { name: "invalid", command: word, message: `/${word} takes no arguments (got ${args.join(" ")})` }
        : { name: word };
    default:
      return { name: "unknown", word };
  }
}

function parseRollback(args: string[]): AgentCommand {
  let checkpoint: string | null = null;
  let strategy: Strategy = "reset";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const inline = /^--strategy=(.*)$/.exec(arg);
    if (arg === "--strategy" || inline) {
      const value = inline ? inline[1] : args[++i];
      if (value !== "reset" && value !== "revert") {
        return invalid(`--strategy takes reset or revert (got ${value ?? "nothing"})`);
      }
      strategy = value;
    } else if (arg.startsWith("-")) {
      return invalid(`unknown option ${arg}; /rollback takes [checkpoint] [--strategy revert]`);
    } else if (checkpoint !== null) {
      return invalid(`one checkpoint at most (got ${checkpoint} and ${arg})`);
    } else if (!CHECKPOINT.test(arg) || arg.includes("..")) {
      return invalid(`${arg} is not a checkpoint name`);
    } else {
      checkpoint = arg;
    }
  }
  return { name: "rollback", checkpoint, strategy };
}

function invalid(message: string): AgentCommand {
  return { name: "invalid", command: "rollback", message };
}

/** The short help an unknown command gets. */
export function helpText(word: string): string {
  const rows = COMMAND_HELP.map(([usage, what]) => `- \`${usage}\` — ${what}`).join("\n");
  return `\`/${word}\` is not a Handoff command. Handoff understands:\n\n${rows}\n- \`/complete\` — answer an LLM task (on its issue)`;
}
