import type { Command } from "commander";

/** `handoff redact [--secret-env NAME …]`: a filter that masks secrets from stdin to stdout. */
export function registerRedact(program: Command): void {
  program
    .command("redact")
    .description(
      "Copy stdin to stdout with secrets masked as ***: the values of the named environment variables " +
        "(also base64/URL/JSON-escaped) and known token shapes (GitHub, Anthropic, OpenAI, AWS key ids, " +
        "private keys, Authorization headers, URL passwords).",
    )
    .option(
      "--secret-env <name>",
      "environment variable whose value is a secret to mask (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addHelpText(
      "after",
      "\nExample:\n  npm test 2>&1 | handoff redact --secret-env GITHUB_TOKEN --secret-env NPM_TOKEN",
    )
    .action(async (options: { secretEnv?: string[] }) => {
      const { redactStdio } = await import("../../redaction/cli.js");
      await redactStdio(options.secretEnv ?? []);
    });
}
