import type { Command } from "commander";
import { printJson, printLine, progress } from "../output.js";

/** `handoff policy check|hook|schema`: the execution policy from the command line. */
export function registerPolicy(program: Command): void {
  const policy = program
    .command("policy")
    .description("Check commands against an execution policy; run it as a Claude Code hook");

  policy
    .command("check")
    .description("Decide whether a shell command may run (exit 0 allowed, 1 denied, 2 bad policy file)")
    .requiredOption("--policy <file>", "policy file (JSON or YAML)")
    .option("--cwd <dir>", "directory the command would run in (default: current directory)")
    .option("--root <dir>", "directory relative write_paths resolve against (default: --cwd)")
    .option("--json", "print the decision as JSON")
    .argument("<command...>", "the command string (put it after --)")
    .action(
      async (words: string[], options: { policy: string; cwd?: string; root?: string; json?: boolean }) => {
        const { decide, loadPolicy } = await import("./policy-actions.js");
        const loaded = await loadPolicy(options.policy);
        // Several words after `--` are joined with spaces, as a shell would have received them.
        const decision = await decide(loaded, words.join(" "), { cwd: options.cwd, root: options.root });
        if (options.json) printJson(decision);
        else printLine(`${decision.allowed ? "allowed" : "denied"} (${decision.rule}): ${decision.reason}`);
        if (!decision.allowed) process.exitCode = 1;
      },
    );

  policy
    .command("hook")
    .description(
      "Agent CLI tool hook (Claude Code/Codex PreToolUse, Gemini CLI BeforeTool): reads the tool call on stdin, prints allow/deny JSON; fails closed",
    )
    .requiredOption("--policy <file>", "policy file (JSON or YAML)")
    .option(
      "--protocol <name>",
      "answer format: claude (Claude Code, Codex) or gemini (Gemini CLI)",
      "claude",
    )
    .option("--record <file>", "append each decision as one JSON line to this file")
    .option(
      "--root <dir>",
      "worktree that relative write_paths resolve against (default: $CLAUDE_PROJECT_DIR or cwd)",
    )
    .option("--quiet-allow", "print nothing when allowed (leave it to Claude Code's own permission rules)")
    .option("--timeout <ms>", "deny when no answer within this time", "10000")
    .option("--socket <path>", "ask the resident policy process (`policy serve`) first")
    .action(
      async (options: {
        policy: string;
        root?: string;
        quietAllow?: boolean;
        timeout: string;
        protocol: string;
        record?: string;
      }) => {
        // Normally src/cli/index.ts runs the hook before commander loads; this path serves `--help` users
        // and callers that go through `run()` directly.
        const { runHookMain } = await import("./policy-actions.js");
        const argv = [
          "--policy",
          options.policy,
          "--timeout",
          options.timeout,
          "--protocol",
          options.protocol,
        ];
        if (options.record) argv.push("--record", options.record);
        if (options.root) argv.push("--root", options.root);
        if (options.quietAllow) argv.push("--quiet-allow");
        await runHookMain(argv);
      },
    );

  policy
    .command("serve")
    .description(
      "Run the resident policy process that `policy hook --socket PATH` asks (until SIGINT/SIGTERM)",
    )
    .requiredOption("--policy <file>", "policy file (JSON or YAML); reloaded when it changes")
    .requiredOption("--socket <path>", "unix socket to listen on (keep it outside write_paths)")
    .option(
      "--root <dir>",
      "worktree that relative write_paths resolve against (default: $CLAUDE_PROJECT_DIR or cwd)",
    )
    .option("--quiet-allow", "answer nothing when allowed")
    .action(async (options: { policy: string; socket: string; root?: string; quietAllow?: boolean }) => {
      const { startPolicyServer } = await import("./policy-actions.js");
      const server = await startPolicyServer({ policyFile: options.policy, ...options });
      progress(`handoff policy server listening on ${server.socket}`);
      await new Promise<void>((resolve) => {
        const stop = (): void => void server.close().then(resolve);
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });

  policy
    .command("schema")
    .description("Print the JSON Schema of policy files")
    .action(async () => {
      const { jsonSchemaOf } = await import("./policy-actions.js");
      printJson(await jsonSchemaOf("policy"));
    });
}
