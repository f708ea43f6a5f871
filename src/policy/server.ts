// A resident policy process: keeps the policy and the shell parser loaded and answers hook calls over
// a unix socket, so that each hook call costs a small client instead of a parser start.
import { chmodSync, statSync, unlinkSync } from "node:fs";
import { type Server, createServer } from "node:net";
import { parseJsonText, parseWith } from "../util/validate.js";
import { type HookOptions, HookInputSchema, answerWithPolicy } from "./hook.js";
import { hookOutput, NO_OPINION } from "./hook-protocol.js";
import { loadPolicy } from "./load.js";
import type { Policy } from "./schema.js";
import { loadShellParser } from "./shell.js";

export interface PolicyServerOptions extends HookOptions {
  /** The unix socket path. Put it outside write_paths, in a directory only this user can enter. */
  socket: string;
}

export interface PolicyServer {
  socket: string;
  close(): Promise<void>;
}

/**
 * Starts the resident policy process. Each connection sends one PreToolUse payload and half-closes;
 * the answer is the hook's stdout text (possibly empty). A changed policy file is reloaded; a policy
 * that no longer loads makes every answer a deny.
 */
export async function startPolicyServer(options: PolicyServerOptions): Promise<PolicyServer> {
  await loadShellParser();
  let policy: Policy = await loadPolicy(options.policyFile);
  let loadedMtime = mtimeOf(options.policyFile);
  const current = async (): Promise<Policy> => {
    const mtime = mtimeOf(options.policyFile);
    if (mtime !== loadedMtime) {
      policy = await loadPolicy(options.policyFile);
      loadedMtime = mtime;
    }
    return policy;
  };
  // Half-open: the client ends its side after the payload and still reads the answer.
  const server: Server = createServer({ allowHalfOpen: true }, (connection) => {
    let data = "";
    connection.setEncoding("utf8");
    connection.setTimeout(10_000, () => connection.destroy());
    connection.on("data", (chunk: string) => {
      data += chunk;
      if (data.length > 4_000_000) connection.destroy();
    });
    connection.on("error", () => connection.destroy());
    connection.on("end", () => {
      answer(data)
        .catch((error: unknown) =>
          hookOutput("deny", `handoff policy server failed closed: ${(error as Error).message}`),
        )
        .then((text) => connection.end(text));
    });
  });
  const answer = async (text: string): Promise<string> => {
    const input = parseWith(HookInputSchema, parseJsonText(text, "hook input"), "hook input");
    const result = await answerWithPolicy(input, await current(), options);
    return result.decision === "none" ? NO_OPINION : hookOutput(result.decision, result.reason);
  };
  try {
    unlinkSync(options.socket); // a stale socket from a crashed server
  } catch {
    // none
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.socket, () => resolve());
  });
  chmodSync(options.socket, 0o600);
  return {
    socket: options.socket,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1; // gone: the next load fails and answers deny
  }
}
