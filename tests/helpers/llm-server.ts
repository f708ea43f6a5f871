import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the server received. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A scripted reply: status and JSON body. */
export interface Reply {
  status: number;
  body: unknown;
}

/**
 * A real HTTP server on 127.0.0.1 speaking just enough of the OpenAI chat-completions and Anthropic
 * messages APIs for the official SDKs to talk to it. Replies come from a queue the test fills.
 */
export class LlmServer {
  readonly received: Received[] = [];
  private readonly replies: Reply[] = [];
  private server?: Server;

  /** Queues a reply for the next request. */
  reply(status: number, body: unknown): this {
    this.replies.push({ status, body });
    return this;
  }

  /** An OpenAI chat completion carrying `content`. */
  openaiAnswer(content: string): this {
    return this.reply(200, {
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "test-model",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
  }

  /** An Anthropic message carrying `text`. */
  anthropicAnswer(text: string): this {
    return this.reply(200, {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "test-model",
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 1 },
    });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (raw += chunk));
      req.on("end", () => {
        this.received.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
        });
        const reply = this.replies.shift() ?? {
          status: 599,
          body: { error: { message: "no scripted reply left" } },
        };
        res.writeHead(reply.status, { "content-type": "application/json" });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** Runs `fn` with a started server and stops it afterwards. */
export async function withLlmServer<T>(fn: (server: LlmServer, url: string) => Promise<T>): Promise<T> {
  const server = new LlmServer();
  const url = await server.start();
  try {
    return await fn(server, url);
  } finally {
    await server.stop();
  }
}
