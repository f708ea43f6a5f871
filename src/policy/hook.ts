import { resolve } from "node:path";
import { z } from "zod";
import { parseJsonText, parseWith } from "../util/validate.js";
import { runWithin } from "./bounded.js";
import { decideSync } from "./decide.js";
import { loadPolicy } from "./load.js";
import { checkWritePath, writeRoots } from "./paths.js";
import type { Policy } from "./schema.js";
import { loadShellParser } from "./shell.js";

/**
 * The part of Claude Code's PreToolUse hook input that the policy reads. Other fields (session_id,
 * transcript_path, permission_mode…) pass through unchecked.
 */
export const HookInputSchema = z.looseObject({
  hook_event_name: z.string().optional(),
  /** The tool about to run: `Bash`, `Write`, `Edit`, `MultiEdit`, `NotebookEdit`, `Read`… */
  tool_name: z.string(),
  /** The tool's arguments; for `Bash`, `command` is the shell command string. */
  tool_input: z.record(z.string(), z.unknown()),
  /** The directory the tool runs in (follows the agent's `cd`). */
  cwd: z.string().optional(),
});
export type HookInput = z.infer<typeof HookInputSchema>;

export interface HookOptions {
  /** The policy file (JSON or YAML). */
  policyFile: string;
  /** Where relative write_paths resolve (the worktree). Default: `$CLAUDE_PROJECT_DIR`, else the cwd. */
  root?: string;
  /** Print nothing on allow, leaving the decision to Claude Code's own permission rules. */
  quietAllow?: boolean;
  /** Stop a check that runs longer than this (the hook's `--timeout`) and deny. Default: 10 s. */
  timeoutMs?: number;
}

/** Tools that write the file named in their input, and the input field holding it. */
const FILE_TOOLS: Record<string, string> = {
  Write: "file_path",
  Edit: "file_path",
  MultiEdit: "file_path",
  NotebookEdit: "notebook_path",
};

export type HookAnswer = { decision: "allow" | "deny"; reason: string } | { decision: "none" };

/** Decides one PreToolUse call. Throws on any problem; the caller turns that into a deny. */
export async function answerHook(stdin: string, options: HookOptions): Promise<HookAnswer> {
  const input = parseWith(HookInputSchema, parseJsonText(stdin, "hook input"), "hook input");
  return answerWithPolicy(input, await loadPolicy(options.policyFile), options);
}

/** Answers an already validated hook input under a loaded policy (the resident server keeps it loaded). */
export async function answerWithPolicy(
  input: HookInput,
  policy: Policy,
  options: HookOptions,
): Promise<HookAnswer> {
  const root = resolve(options.root ?? process.env.CLAUDE_PROJECT_DIR ?? process.cwd());
  const cwd = resolve(root, input.cwd ?? root);
  if (input.tool_name === "Bash") {
    const command = input.tool_input.command;
    if (typeof command !== "string") throw new Error("Bash tool_input.command is not a string");
    await loadShellParser();
    // Bounded even while it runs: the hook's timer could not fire during a synchronous check.
    const decision = runWithin(options.timeoutMs ?? 10_000, () => decideSync(policy, command, { cwd, root }));
    const reason = decision.allowed
      ? `handoff policy: allowed by ${decision.rule}`
      : `handoff policy denied this command (${decision.rule}): ${decision.reason}`;
    if (decision.allowed && options.quietAllow) return { decision: "none" };
    return { decision: decision.allowed ? "allow" : "deny", reason };
  }
  const field = FILE_TOOLS[input.tool_name];
  if (field) {
    const path = input.tool_input[field];
    if (typeof path !== "string") throw new Error(`${input.tool_name} tool_input.${field} is not a string`);
    const check = checkWritePath(
      { text: path, literal: true, pattern: false },
      [cwd],
      writeRoots(policy.write_paths, root),
    );
    if (!check.ok) {
      return { decision: "deny", reason: `handoff policy denied this write (write-path): ${check.reason}` };
    }
  }
  // Other tools (and file writes inside write_paths) are left to Claude Code's permission rules.
  return { decision: "none" };
}
