import { relative, resolve } from "node:path";
import { z } from "zod";
import { parseJsonText, parseWith } from "../util/validate.js";
import { runWithin } from "./bounded.js";
import { decideSync } from "./decide.js";
import { loadPolicy } from "./load.js";
import { checkWritePath, writeRoots } from "./paths.js";
import { protectedBy } from "./protected.js";
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

/**
 * The files a Codex `apply_patch` patch writes (`*** Add File:`, `Update File:`, `Delete File:`,
 * `Move to:` lines). Codex sends the patch as the `apply_patch` tool's input, or as a shell command
 * `apply_patch <<'EOF' … EOF` that it intercepts and applies itself.
 */
export function patchedFiles(command: string, shell: boolean): string[] | undefined {
  const heredoc = /^\s*apply_patch\s+<<-?\s*(['"]?)(\w+)\1\n([\s\S]*)\n\2\s*$/.exec(command);
  if (shell && !heredoc) return undefined;
  // The heredoc must be the whole command: a delimiter line inside the body would end it early and let
  // whatever follows run as shell code, so such a command is judged as a command instead.
  if (heredoc && heredoc[3]!.split("\n").some((line) => line.trim() === heredoc[2])) return undefined;
  const patch = heredoc ? heredoc[3]! : command;
  if (!/^\s*\*\*\* Begin Patch/.test(patch)) return undefined;
  return [...patch.matchAll(/^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/gm)].map((m) =>
    m[1]!.trim(),
  );
}

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
  if (input.tool_name === "apply_patch" || input.tool_name === "Bash") {
    const command = input.tool_input.command;
    if (typeof command !== "string") throw new Error(`${input.tool_name} tool_input.command is not a string`);
    const files = patchedFiles(command, input.tool_name === "Bash");
    if (files) return checkWrites(files, cwd, root, policy, options.quietAllow ? "none" : "allow");
    if (input.tool_name === "apply_patch") throw new Error("apply_patch input is not a patch");
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
    return checkWrites([path], cwd, root, policy, "none");
  }
  // Other tools are left to the CLI's own permission rules.
  return { decision: "none" };
}

/** Denies when one of `files` is outside write_paths; otherwise `inside` (a patch is allowed outright). */
function checkWrites(
  files: readonly string[],
  cwd: string,
  root: string,
  policy: Policy,
  inside: "allow" | "none",
): HookAnswer {
  for (const path of files) {
    const check = checkWritePath(
      { text: path, literal: true, pattern: false },
      [cwd],
      writeRoots(policy.write_paths, root),
    );
    if (!check.ok) {
      return { decision: "deny", reason: `handoff policy denied this write (write-path): ${check.reason}` };
    }
    for (const target of check.resolved) {
      const glob = protectedBy(relative(root, target), policy.protected_paths);
      if (glob) {
        const reason = `handoff policy denied this write (protected-path): \`${relative(root, target)}\` matches protected path \`${glob}\``;
        return { decision: "deny", reason };
      }
    }
  }
  return inside === "allow"
    ? {
        decision: "allow",
        reason: `handoff policy: allowed by write-path (${files.length} file(s) inside write_paths)`,
      }
    : { decision: "none" };
}
