import type { LlmOptions, Message, ResponseFormat } from "../../llm-tasks/schemas.js";

/** One API call, already routed to a provider. */
export interface ProviderRequest {
  task: string;
  messages: Message[];
  responseFormat: ResponseFormat | null;
  options: LlmOptions;
}

/** An LLM API behind its official SDK. */
export interface LlmProvider {
  /** `openai` or `anthropic`. */
  readonly name: string;
  readonly model: string;
  /** The answer's text. Throws the SDK's error on failure (the client turns it into a HandoffError). */
  complete(request: ProviderRequest): Promise<string>;
}

/** Settings common to every provider, read from the environment and the call's options. */
export interface ProviderSettings {
  model: string;
  apiKey: string | undefined;
  baseURL: string | undefined;
  /** Milliseconds; from options.timeout / timeout_seconds / timeout_s (seconds). */
  timeoutMs: number | undefined;
  /** From options.max_retries / retries; the SDK default otherwise. */
  maxRetries: number | undefined;
}

/** Options passed on to the API as they are. Everything else in `options` is Handoff's or the pipeline's. */
export const PASSTHROUGH_OPTIONS = [
  "temperature",
  "top_p",
  "max_tokens",
  "max_completion_tokens",
  "stop",
  "seed",
  "presence_penalty",
  "frequency_penalty",
  "reasoning_effort",
] as const;

export function pickPassthrough(options: LlmOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of PASSTHROUGH_OPTIONS) if (options[key] !== undefined) out[key] = options[key];
  return out;
}
