import Anthropic from "@anthropic-ai/sdk";
import type { Message } from "../../llm-tasks/schemas.js";
import type { LlmProvider, ProviderRequest, ProviderSettings } from "./types.js";

/** Anthropic's Messages API needs max_tokens; this is used when the call's options do not say. */
const DEFAULT_MAX_TOKENS = 4096;

function text(content: Message["content"]): string {
  if (typeof content === "string") return content;
  if (content === null) return "";
  return content
    .map((part) => (typeof part === "object" && part !== null && "text" in part ? String(part.text) : ""))
    .join("");
}

/** Anthropic through the official `@anthropic-ai/sdk`: system messages become `system`. */
export function anthropicProvider(settings: ProviderSettings): LlmProvider {
  const client = new Anthropic({
    apiKey: settings.apiKey ?? null,
    // Always explicit, so the SDK never picks a base URL up from a profile on disk.
    baseURL: settings.baseURL ?? "https://api.anthropic.com",
    ...(settings.timeoutMs !== undefined ? { timeout: settings.timeoutMs } : {}),
    ...(settings.maxRetries !== undefined ? { maxRetries: settings.maxRetries } : {}),
  });
  return {
    name: "anthropic",
    model: settings.model,
    async complete(request: ProviderRequest): Promise<string> {
      const system = request.messages
        .filter((m) => m.role === "system" || m.role === "developer")
        .map((m) => text(m.content));
      const format = request.responseFormat;
      if (format && format.type !== "text") {
        // The Messages API has no response_format: say it in the system prompt, the content is checked anyway.
        const schema = format.json_schema?.schema
          ? ` matching this JSON Schema: ${JSON.stringify(format.json_schema.schema)}`
          : "";
        system.push(`Answer with JSON only${schema}.`);
      }
      const options = request.options;
      const message = await client.messages.create({
        model: settings.model,
        max_tokens: typeof options.max_tokens === "number" ? options.max_tokens : DEFAULT_MAX_TOKENS,
        messages: request.messages
          .filter((m) => m.role === "user" || m.role === "assistant")
          .map((m) => ({ role: m.role as "user" | "assistant", content: text(m.content) })),
        ...(system.length ? { system: system.join("\n\n") } : {}),
        ...(typeof options.temperature === "number" ? { temperature: options.temperature } : {}),
        ...(typeof options.top_p === "number" ? { top_p: options.top_p } : {}),
        ...(options.stop !== undefined
          ? { stop_sequences: ([] as string[]).concat(options.stop as string | string[]) }
          : {}),
      });
      return message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
    },
  };
}
