import OpenAI from "openai";
import type { LlmProvider, ProviderRequest, ProviderSettings } from "./types.js";
import { pickPassthrough } from "./types.js";

/** OpenAI, or any OpenAI-compatible server (OPENAI_BASE_URL), through the official `openai` SDK. */
export function openaiProvider(settings: ProviderSettings): LlmProvider {
  const client = new OpenAI({
    apiKey: settings.apiKey,
    baseURL: settings.baseURL ?? "https://api.openai.com/v1",
    ...(settings.timeoutMs !== undefined ? { timeout: settings.timeoutMs } : {}),
    ...(settings.maxRetries !== undefined ? { maxRetries: settings.maxRetries } : {}),
  });
  return {
    name: "openai",
    model: settings.model,
    async complete(request: ProviderRequest): Promise<string> {
      const body = {
        model: settings.model,
        messages: request.messages,
        ...(request.responseFormat && request.responseFormat.type !== "text"
          ? { response_format: request.responseFormat }
          : {}),
        ...pickPassthrough(request.options),
      } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
      const completion = await client.chat.completions.create(body);
      const content = completion.choices[0]?.message?.content;
      if (typeof content !== "string")
        throw new Error(`the response to ${request.task} has no message content`);
      return content;
    },
  };
}
