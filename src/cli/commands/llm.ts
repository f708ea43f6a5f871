import type { Command } from "commander";
import { printJson } from "../output.js";
import { readJsonInput } from "../input.js";

interface LlmCompleteOptions {
  task: string;
  messagesFile: string;
  responseFormatFile?: string;
  optionsFile?: string;
  caller?: string;
  json?: boolean;
}

export function registerLlm(program: Command): void {
  const llm = program.command("llm").description("Make LLM calls from a shell or any language");
  llm
    .command("complete")
    .description(
      "Make one LLM call: prints the answer (exit 0) when a result exists or in API mode; " +
        "otherwise writes a pending LLM task and exits 75",
    )
    .requiredOption("--task <name>", "task name, e.g. release_notes.summarize")
    .requiredOption("--messages-file <file>", "JSON array of chat messages ('-' = standard input)")
    .option(
      "--response-format-file <file>",
      "JSON response_format (json_object, or json_schema with a schema)",
    )
    .option("--options-file <file>", "JSON object of call options (model, temperature, timeout…)")
    .option("--caller <name>", "who makes the call (recorded in the pending file)", "handoff llm complete")
    .option("--json", "print {task, id, content} as JSON instead of the bare content")
    .addHelpText(
      "after",
      "\nMode: LLM_EXEC_SLOT=3 (default, THINK) or 4 (AGENT) queue the call; LLM_EXEC_SLOT=0 calls the API\n" +
        "(HANDOFF_LLM_PROVIDER, HANDOFF_LLM_MODEL, OPENAI_API_KEY/ANTHROPIC_API_KEY). See docs/llm-tasks.md.",
    )
    .action(async (options: LlmCompleteOptions) => {
      const { complete, taskId } = await import("./llm-actions.js");
      const messages = (await readJsonInput(options.messagesFile, "--messages-file")) as never;
      const responseFormat = options.responseFormatFile
        ? ((await readJsonInput(options.responseFormatFile, "--response-format-file")) as never)
        : null;
      const callOptions = options.optionsFile
        ? ((await readJsonInput(options.optionsFile, "--options-file")) as never)
        : undefined;
      const request = {
        task: options.task,
        messages,
        responseFormat,
        options: callOptions,
        caller: options.caller,
      };
      const content = await complete(request);
      if (options.json) printJson({ task: options.task, id: taskId({ ...request }), content });
      else process.stdout.write(content);
    });
}
