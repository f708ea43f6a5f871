import { describe, expect, it } from "vitest";
import { providerFromEnv } from "../../src/llm/providers/index.js";
import { withLlmServer } from "../helpers/llm-server.js";

const messages = [
  { role: "system" as const, content: "Be terse." },
  { role: "user" as const, content: "Classify: fix bug" },
];
const format = {
  type: "json_schema" as const,
  json_schema: { name: "c", schema: { type: "object", properties: { kind: { type: "string" } } } },
};

describe("providers (official SDKs against a loopback server)", () => {
  it("openai: sends model, messages, response_format and passthrough options with the bearer key", async () => {
    await withLlmServer(async (server, url) => {
      server.openaiAnswer('{"kind":"fix"}');
      const env = {
        HANDOFF_LLM_PROVIDER: "openai",
        HANDOFF_LLM_MODEL: "gpt-test",
        OPENAI_API_KEY: "sk-abc",
        OPENAI_BASE_URL: `${url}/v1`,
      };
      const options = { temperature: 0.1, seed: 7, timeout: 10, custom_pipeline_flag: true };
      const provider = await providerFromEnv(env, options);
      expect([provider.name, provider.model]).toEqual(["openai", "gpt-test"]);
      const answer = await provider.complete({ task: "t", messages, responseFormat: format, options });
      expect(answer).toBe('{"kind":"fix"}');
      const [request] = server.received;
      expect(request?.url).toBe("/v1/chat/completions");
      expect(request?.headers.authorization).toBe("Bearer sk-abc");
      expect(request?.body).toEqual({
        model: "gpt-test",
        messages,
        response_format: format,
        temperature: 0.1,
        seed: 7,
      });
    });
  });

  it("anthropic: moves system messages to `system`, sets max_tokens, asks for JSON in words", async () => {
    await withLlmServer(async (server, url) => {
      server.anthropicAnswer('{"kind":"fix"}');
      const env = { HANDOFF_LLM_PROVIDER: "anthropic", ANTHROPIC_API_KEY: "ak-1", ANTHROPIC_BASE_URL: url };
      const options = { model: "claude-test", max_tokens: 50, stop: "END" };
      const provider = await providerFromEnv(env, options);
      expect(await provider.complete({ task: "t", messages, responseFormat: format, options })).toBe(
        '{"kind":"fix"}',
      );
      const [request] = server.received;
      expect(request?.url).toBe("/v1/messages");
      // SDK 1.x sends the key as a bearer token (older majors used x-api-key); either carries our key.
      expect(request?.headers.authorization ?? request?.headers["x-api-key"]).toMatch(/^(Bearer )?ak-1$/);
      expect(request?.body).toMatchObject({
        model: "claude-test",
        max_tokens: 50,
        stop_sequences: ["END"],
        messages: [{ role: "user", content: "Classify: fix bug" }],
      });
      expect(request?.body.system).toMatch(
        /^Be terse\.\n\nAnswer with JSON only matching this JSON Schema: \{"type":"object"/,
      );
    });
  });

  it("anthropic: an API error surfaces with its status and message", async () => {
    await withLlmServer(async (server, url) => {
      server.reply(401, {
        type: "error",
        error: { type: "authentication_error", message: "invalid x-api-key" },
      });
      const env = { ANTHROPIC_API_KEY: "bad", ANTHROPIC_BASE_URL: url, HANDOFF_LLM_MODEL: "c" };
      const provider = await providerFromEnv(env, { max_retries: 0 });
      expect(provider.name).toBe("anthropic");
      await expect(
        provider.complete({ task: "t", messages, responseFormat: null, options: {} }),
      ).rejects.toThrow(/401 .*invalid x-api-key/);
      expect(server.received).toHaveLength(1);
    });
  });
});
