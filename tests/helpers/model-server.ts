/**
 * A scripted model server on 127.0.0.1 for tests that run real agent CLIs. Only the model is scripted:
 * the CLI under test is the real one, runs its tools for real and sends the tool results back, which a
 * turn may inspect before it answers. The wire format is a dialect: Anthropic's Messages API (below, the
 * default, for Claude Code), OpenAI's Responses API (Codex) and Gemini's streamGenerateContent (Gemini
 * CLI) in model-dialects.ts; the script, the recording and the errors are the same for all three.
 *
 * `POST /v1/messages` answers as server-sent events (`message_start`, `content_block_start/delta/stop`
 * for text and `tool_use` blocks with `input_json_delta`, `message_delta` with `stop_reason` and usage,
 * `message_stop`) when the request asks for `stream: true`, and as one JSON message otherwise.
 * Side requests the CLI makes (`/v1/messages/count_tokens`, `/v1/models…`, anything else) are answered
 * harmlessly and recorded, so a test can see everything the CLI sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * One content block of a scripted reply. `custom_tool` is a Responses API free-form tool call (Codex's
 * `apply_patch`), whose input is plain text.
 */
export type ScriptBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; name: string; input: Record<string, unknown>; id?: string }
  | { type: "custom_tool"; name: string; input: string; id?: string };

/** What a turn answers: content blocks (the stop reason is `tool_use` when a tool is used). */
export interface ScriptReply {
  content: ScriptBlock[];
  usage?: { input_tokens: number; output_tokens: number };
}

/** A recorded request to the main conversation endpoint. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: MessagesRequest | undefined;
}

/** The part of a Messages API request body the script looks at. */
export interface MessagesRequest {
  model?: string;
  stream?: boolean;
  system?: unknown;
  messages?: Array<{ role: string; content: string | Array<Record<string, unknown>> }>;
  tools?: Array<{ name: string }>;
  max_tokens?: number;
  [key: string]: unknown;
}

/** A tool result the CLI sent back in the latest user message. */
export interface ToolResult {
  tool_use_id: string;
  content: string;
  is_error: boolean;
}

/** What a turn function sees: the request and helpers over it. */
export interface TurnContext {
  request: MessagesRequest;
  /** Tool results carried by the last user message (empty on the first turn). */
  toolResults: ToolResult[];
  /** The index of this turn in the script (0-based). */
  index: number;
}

/** A turn is a fixed reply or a function of the request (e.g. of the previous tool_result). */
export type ScriptTurn = ScriptReply | ((ctx: TurnContext) => ScriptReply);

export interface ModelServer {
  url: string;
  /** Every request received, in order (main turns and side requests). */
  requests: RecordedRequest[];
  /** Requests that consumed a scripted turn. */
  turns: RecordedRequest[];
  /** Errors raised while answering (an exhausted script, a turn that threw). */
  errors: string[];
  close(): Promise<void>;
}

export interface ModelServerOptions {
  /** What to answer when the script is exhausted; default: an error the test can see. */
  whenExhausted?: ScriptTurn;
  /** The wire format; default: Anthropic's Messages API. */
  dialect?: Dialect;
}

/** A scripted reply with ids given to its tool calls. */
export type IdBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  | { type: "custom_tool"; id: string; name: string; input: string };

/** One API's wire format: which requests are turns, what they carry back, how a reply is sent. */
export interface Dialect {
  /** Answers a request that is not a scripted turn; false when the request is a turn. */
  side(req: IncomingMessage, path: string, body: MessagesRequest | undefined, res: ServerResponse): boolean;
  /** The tool results the request carries (empty on the first turn). */
  toolResults(body: MessagesRequest): ToolResult[];
  /** Sends the reply; `usage` is what the reply reports. */
  send(
    res: ServerResponse,
    body: MessagesRequest,
    content: IdBlock[],
    usage: { input_tokens: number; output_tokens: number },
    nextId: () => number,
  ): void;
  /** An error answer in the API's shape. */
  error(res: ServerResponse, status: number, message: string): void;
}

/**
 * Requests that belong to the conversation. Claude Code also sends small side requests through the same
 * endpoint (e.g. a title or topic check with no tools); those get a short text answer and do not consume
 * a scripted turn.
 */
function isConversationTurn(body: MessagesRequest | undefined): boolean {
  return Boolean(body && Array.isArray(body.tools) && body.tools.length > 0);
}

export async function startModelServer(
  script: ScriptTurn[],
  options: ModelServerOptions = {},
): Promise<ModelServer> {
  const requests: RecordedRequest[] = [];
  const turns: RecordedRequest[] = [];
  const errors: string[] = [];
  let next = 0;
  let idCounter = 0;

  const dialect = options.dialect ?? anthropic;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    let body: MessagesRequest | undefined;
    try {
      body = raw ? (JSON.parse(raw) as MessagesRequest) : undefined;
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = { method: req.method ?? "GET", path, headers: req.headers, body };
    requests.push(record);
    if (dialect.side(req, path, body, res) || !body) return;

    turns.push(record);
    const index = next++;
    const turn = script[index] ?? options.whenExhausted;
    if (!turn) {
      const message = `model script exhausted at turn ${index}`;
      errors.push(message);
      return dialect.error(res, 400, message);
    }
    let reply: ScriptReply;
    try {
      reply =
        typeof turn === "function"
          ? turn({ request: body, toolResults: dialect.toolResults(body), index })
          : turn;
    } catch (error) {
      const message = `turn ${index} threw: ${error instanceof Error ? error.message : String(error)}`;
      errors.push(message);
      return dialect.error(res, 500, message);
    }
    const content = reply.content.map((block): IdBlock =>
      block.type === "text" ? block : { ...block, id: block.id ?? `toolu_scripted_${++idCounter}` },
    ) as IdBlock[];
    dialect.send(
      res,
      body,
      content,
      reply.usage ?? { input_tokens: 120, output_tokens: 30 },
      () => ++idCounter,
    );
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      errors.push(String(error));
      if (!res.headersSent)
        sendJson(res, 500, { type: "error", error: { type: "api_error", message: "server" } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    turns,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Anthropic's Messages API. Claude Code also sends small side requests through `/v1/messages` (a title
 * or topic check with no tools): they get a short text answer and consume no scripted turn.
 */
const anthropic: Dialect = {
  side(req, path, body, res) {
    if (req.method === "POST" && path === "/v1/messages/count_tokens") {
      sendJson(res, 200, { input_tokens: 100 });
      return true;
    }
    if (req.method === "GET" && path.startsWith("/v1/models")) {
      sendJson(res, 200, {
        data: [
          {
            type: "model",
            id: "claude-scripted",
            display_name: "Scripted",
            created_at: "2025-01-01T00:00:00Z",
          },
        ],
        has_more: false,
        first_id: "claude-scripted",
        last_id: "claude-scripted",
      });
      return true;
    }
    if (req.method !== "POST" || path !== "/v1/messages" || !body) {
      sendJson(res, 404, { type: "error", error: { type: "not_found_error", message: `no ${path}` } });
      return true;
    }
    if (!isConversationTurn(body)) {
      anthropic.send(
        res,
        body,
        [{ type: "text", text: "ok" }],
        { input_tokens: 10, output_tokens: 1 },
        () => 0,
      );
      return true;
    }
    return false;
  },
  toolResults,
  send(res, body, content, usage, nextId) {
    const stopReason = content.some((b) => b.type !== "text") ? "tool_use" : "end_turn";
    const blocks = content.filter((b): b is Block => b.type !== "custom_tool");
    const message = {
      id: `msg_scripted_${nextId()}`,
      type: "message",
      role: "assistant",
      model: body.model ?? "claude-scripted",
      content: blocks,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { ...usage, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
    if (body.stream) sendStream(res, message, blocks, stopReason, usage);
    else sendJson(res, 200, message);
  },
  error(res, status, message) {
    sendJson(res, status, {
      type: "error",
      error: { type: status === 400 ? "invalid_request_error" : "api_error", message },
    });
  },
};

function toolResults(body: MessagesRequest): ToolResult[] {
  const last = body.messages?.at(-1);
  if (!last || last.role !== "user" || typeof last.content === "string") return [];
  return last.content
    .filter((block) => block.type === "tool_result")
    .map((block) => ({
      tool_use_id: String(block.tool_use_id),
      is_error: block.is_error === true,
      content: flattenContent(block.content),
    }));
}

export function flattenContent(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) =>
        part && typeof part === "object" && "text" in part ? String((part as { text: unknown }).text) : "",
      )
      .join("");
  }
  return "";
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "request-id": "req_scripted" });
  res.end(text);
}

type Block = Exclude<IdBlock, { type: "custom_tool" }>;

function sendStream(
  res: ServerResponse,
  message: Record<string, unknown>,
  content: Block[],
  stopReason: string,
  usage: { input_tokens: number; output_tokens: number },
): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "request-id": "req_scripted",
  });
  const event = (name: string, data: unknown): void => {
    res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  event("message_start", {
    type: "message_start",
    message: {
      ...message,
      content: [],
      stop_reason: null,
      usage: {
        input_tokens: usage.input_tokens,
        output_tokens: 1,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  });
  content.forEach((block, index) => {
    if (block.type === "text") {
      event("content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "text", text: "" },
      });
      event("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "text_delta", text: block.text },
      });
    } else {
      event("content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
      });
      // Split the JSON in two so the client really has to assemble partial_json deltas.
      const json = JSON.stringify(block.input);
      const cut = Math.floor(json.length / 2);
      for (const part of [json.slice(0, cut), json.slice(cut)]) {
        event("content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: part },
        });
      }
    }
    event("content_block_stop", { type: "content_block_stop", index });
  });
  event("message_delta", {
    type: "message_delta",
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  event("message_stop", { type: "message_stop" });
  res.end();
}
