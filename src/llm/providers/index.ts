import { ConfigError } from "../../errors.js";
import type { LlmOptions } from "../../llm-tasks/schemas.js";
import type { LlmProvider, ProviderSettings } from "./types.js";

export type { LlmProvider, ProviderRequest } from "./types.js";

const PROVIDERS = ["openai", "anthropic"] as const;
export type ProviderName = (typeof PROVIDERS)[number];

function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function seconds(value: unknown): number | undefined {
  return typeof value === "number" && value > 0 ? Math.round(value * 1000) : undefined;
}

/**
 * The provider for API mode: HANDOFF_LLM_PROVIDER (`openai` | `anthropic`; when unset, the one whose key
 * is set, OpenAI first), the model from `options.model` or HANDOFF_LLM_MODEL, keys and base URLs from
 * OPENAI_API_KEY / OPENAI_BASE_URL or ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL.
 */
export async function providerFromEnv(env: NodeJS.ProcessEnv, options: LlmOptions): Promise<LlmProvider> {
  const chosen = setting(env, "HANDOFF_LLM_PROVIDER");
  let name: ProviderName;
  if (chosen !== undefined) {
    if (!PROVIDERS.includes(chosen as ProviderName)) {
      throw new ConfigError(
        `HANDOFF_LLM_PROVIDER=${chosen}: expected one of ${PROVIDERS.join(", ")}`,
        "HANDOFF_LLM_PROVIDER",
      );
    }
    name = chosen as ProviderName;
  } else if (setting(env, "OPENAI_API_KEY") || setting(env, "OPENAI_BASE_URL")) {
    name = "openai";
  } else if (setting(env, "ANTHROPIC_API_KEY") || setting(env, "ANTHROPIC_BASE_URL")) {
    name = "anthropic";
  } else {
    throw new ConfigError(
      "API mode (LLM_EXEC_SLOT=0) needs a provider: set HANDOFF_LLM_PROVIDER=openai|anthropic and its API key " +
        "(OPENAI_API_KEY or ANTHROPIC_API_KEY)",
      "HANDOFF_LLM_PROVIDER",
    );
  }
  const model =
    typeof options.model === "string" && options.model ? options.model : setting(env, "HANDOFF_LLM_MODEL");
  if (!model)
    throw new ConfigError(
      "API mode needs a model: set HANDOFF_LLM_MODEL or pass options.model",
      "HANDOFF_LLM_MODEL",
    );
  const prefix = name === "openai" ? "OPENAI" : "ANTHROPIC";
  const apiKey = setting(env, `${prefix}_API_KEY`);
  const baseURL = setting(env, `${prefix}_BASE_URL`);
  if (!apiKey && !baseURL) {
    throw new ConfigError(`${name}: ${prefix}_API_KEY is not set`, `${prefix}_API_KEY`);
  }
  const retries = options.max_retries ?? options.retries;
  const settings: ProviderSettings = {
    model,
    // A self-hosted OpenAI-compatible server may need no key; the SDKs still want a string.
    apiKey: apiKey ?? "unused",
    baseURL,
    timeoutMs: seconds(options.timeout_seconds ?? options.timeout_s ?? options.timeout),
    maxRetries: typeof retries === "number" && retries >= 0 ? retries : undefined,
  };
  // The SDKs load only when API mode is used, so THINK runs and the CLI stay light.
  if (name === "openai") return (await import("./openai.js")).openaiProvider(settings);
  return (await import("./anthropic.js")).anthropicProvider(settings);
}
