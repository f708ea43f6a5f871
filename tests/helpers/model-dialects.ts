/**
 * The model server's other wire formats (see model-server.ts): OpenAI's Responses API as Codex speaks
 * it (`POST /v1/responses`, server-sent events) and Gemini's `streamGenerateContent` as Gemini CLI
 * speaks it (`?alt=sse`). Each answers the side requests its CLI makes without consuming a turn.
 */
import type { ServerResponse } from "node:http";
import {
  flattenContent,
  sendJson,
  type Dialect,
  type IdBlock,
  type MessagesRequest,
  type ToolResult,
} from "./model-server.js";

function sse(res: ServerResponse): (data: Record<string, unknown>, event?: string) => void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  return (data, event) => res.write(`${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
}

type Item = Record<string, unknown>;

/**
 * OpenAI's Responses API. Codex sends the whole conversation in `input`; the tool results of the last
 * turn are the `*_call_output` items at its end. Codex first tries a WebSocket at the same
 * path (GET with an Upgrade): a 404 makes it fall back to HTTP, though Handoff's provider entry turns
 * WebSockets off anyway.
 */
export const responsesApi: Dialect = {
  side(req, path, body, res) {
    if (req.method === "POST" && path.endsWith("/responses") && body) return false;
    if (req.method === "GET" && path.endsWith("/models")) sendJson(res, 200, { object: "list", data: [] });
    else sendJson(res, 404, { error: { type: "not_found", message: `no ${req.method} ${path}` } });
    return true;
  },
  toolResults(body) {
    // The conversation ends with the last turn's calls followed by their outputs: collect those outputs
    // (walking back) and stop at the first call, so earlier turns' outputs are not mistaken for them.
    const input = (Array.isArray(body.input) ? body.input : []) as Item[];
    const results: ToolResult[] = [];
    for (let i = input.length - 1; i >= 0; i--) {
      const item = input[i]!;
      const type = String(item.type);
      if (type !== "function_call_output" && type !== "custom_tool_call_output") break;
      const output = typeof item.output === "string" ? item.output : flattenContent(item.output);
      results.unshift({ tool_use_id: String(item.call_id), content: output, is_error: false });
    }
    return results;
  },
  send(res, _body, content, usage, nextId) {
    const id = `resp_scripted_${nextId()}`;
    const event = sse(res);
    event({ type: "response.created", response: { id } }, "response.created");
    content.forEach((block, index) => {
      const item = responsesItem(block, nextId());
      event({ type: "response.output_item.done", output_index: index, item }, "response.output_item.done");
    });
    const completed = {
      id,
      usage: {
        input_tokens: usage.input_tokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: usage.output_tokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: usage.input_tokens + usage.output_tokens,
      },
    };
    event({ type: "response.completed", response: completed }, "response.completed");
    res.end();
  },
  error(res, status, message) {
    sendJson(res, status, { error: { type: "invalid_request_error", message } });
  },
};

function responsesItem(block: IdBlock, n: number): Item {
  if (block.type === "text")
    return {
      type: "message",
      id: `msg_${n}`,
      role: "assistant",
      content: [{ type: "output_text", text: block.text, annotations: [] }],
    };
  if (block.type === "custom_tool")
    return {
      type: "custom_tool_call",
      id: `ctc_${n}`,
      call_id: block.id,
      name: block.name,
      input: block.input,
    };
  return {
    type: "function_call",
    id: `fc_${n}`,
    call_id: block.id,
    name: block.name,
    arguments: JSON.stringify(block.input),
  };
}

/**
 * Gemini's API as Gemini CLI uses it: `POST /v1beta/models/MODEL:streamGenerateContent?alt=sse` is a turn;
 * `:generateContent` (the model router's classifier, and other small checks) and `:countTokens` are
 * side requests. Tool results come back as `functionResponse` parts of the last user content.
 */
export const geminiApi: Dialect = {
  side(req, path, body, res) {
    if (req.method === "POST" && path.endsWith(":streamGenerateContent") && body) return false;
    if (path.endsWith(":countTokens")) sendJson(res, 200, { totalTokens: 100 });
    else if (path.endsWith(":generateContent"))
      // The router asks which model to use; anything else gets a plain short answer.
      sendJson(res, 200, {
        candidates: [{ content: { role: "model", parts: [{ text: "{}" }] }, finishReason: "STOP" }],
        usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
      });
    else sendJson(res, 404, { error: { code: 404, message: `no ${path}`, status: "NOT_FOUND" } });
    return true;
  },
  toolResults(body) {
    const contents = (Array.isArray(body.contents) ? body.contents : []) as Item[];
    const last = contents.at(-1);
    if (!last || last.role !== "user" || !Array.isArray(last.parts)) return [];
    return (last.parts as Item[])
      .map((part) => part.functionResponse as Item | undefined)
      .filter((response): response is Item => Boolean(response))
      .map((response) => {
        const value = (response.response ?? {}) as Item;
        const error = value.error;
        return {
          tool_use_id: String(response.id ?? response.name),
          content: String(value.output ?? error ?? JSON.stringify(value)),
          is_error: error !== undefined,
        };
      });
  },
  send(res, body, content, usage) {
    const parts = content.map((block) =>
      block.type === "text"
        ? { text: block.text }
        : { functionCall: { name: block.name, args: block.type === "tool_use" ? block.input : {} } },
    );
    sse(res)({
      candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }],
      usageMetadata: {
        promptTokenCount: usage.input_tokens,
        candidatesTokenCount: usage.output_tokens,
        totalTokenCount: usage.input_tokens + usage.output_tokens,
      },
      modelVersion: String((body as MessagesRequest).model ?? "gemini-scripted"),
    });
    res.end();
  },
  error(res, status, message) {
    sendJson(res, status, { error: { code: status, message, status: "INVALID_ARGUMENT" } });
  },
};
