import type { Command } from "commander";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("Show Handoff end to end in a temp folder, offline and without API keys")
    .option("--keep", "keep the temp folder afterwards")
    .action(async (options: { keep?: boolean }) => {
      const { runDemo } = await import("../../demo/run.js");
      await runDemo({ keep: options.keep });
    });
}
