/**
 * The Handoff app's real HTTP server, as `npm start` runs it (Probot's `run()` with Probot's standard
 * environment), on 127.0.0.1, plus signed deliveries from real `@octokit/webhooks-examples` payloads.
 * Retry and throttling are off unless a test turns them on (throttling has its own tests).
 */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import examples from "@octokit/webhooks-examples";
import { run } from "probot";
import { afterAll, beforeAll } from "vitest";
import { appOctokit } from "../../src/app/octokit.js";
import type { DeliveryLog } from "../../src/app/deliveries.js";
import { createHandoffApp } from "../../src/app/index.js";

export const WEBHOOK_SECRET = "handoff-test-secret";
export const APP_ID = "12345";
export const INSTALLATION_ID = 1;

let privateKey: string | undefined;
/** A real RSA key, so Probot signs real app JWTs (made once: key generation is slow). */
export function testPrivateKey(): string {
  return (privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string);
}

/** A port free right now on 127.0.0.1 (Probot's server treats PORT=0 as "use 3000"). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The app's Octokit with retry and throttling off, or on with a short wait (`retryAfterBaseValue` ms). */
export function testOctokit(options: { retries?: boolean; retryAfterBaseValue?: number } = {}) {
  return appOctokit({ retries: Boolean(options.retries), retryAfterBaseValue: options.retryAfterBaseValue });
}

export interface AppServer {
  url: string;
  /** POSTs a signed delivery (or one with `signature` as given; null sends none). */
  deliver(
    event: string,
    payload: unknown,
    options?: { id?: string; signature?: string | null },
  ): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

let deliveryCounter = 0;

/** `X-Hub-Signature-256` of a body, exactly as GitHub computes it. */
export function sign(body: string, secret = WEBHOOK_SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export async function startAppServer(
  options: {
    env?: NodeJS.ProcessEnv;
    Octokit?: ReturnType<typeof testOctokit>;
    deliveries?: DeliveryLog;
    appFn?: Parameters<typeof run>[0];
  } = {},
): Promise<AppServer> {
  const port = await freePort();
  const server = await run(options.appFn ?? createHandoffApp({ deliveries: options.deliveries }), {
    env: {
      APP_ID,
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: (process.env.TEST_APP_LOG ?? "fatal") as "fatal",
      NODE_ENV: "test",
      ...options.env,
    },
    Octokit: options.Octokit ?? testOctokit(),
  });
  const url = `http://127.0.0.1:${port}/api/github/webhooks`;
  return {
    url,
    async deliver(event, payload, deliverOptions = {}) {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "x-github-event": event,
        "x-github-delivery": deliverOptions.id ?? `delivery-${++deliveryCounter}`,
        "user-agent": "GitHub-Hookshot/test",
      };
      const signature = deliverOptions.signature === undefined ? sign(body) : deliverOptions.signature;
      if (signature !== null) headers["x-hub-signature-256"] = signature;
      const response = await fetch(url, { method: "POST", headers, body });
      return { status: response.status, body: await response.text() };
    },
    stop: () => server.stop(),
  };
}

type Example = Record<string, unknown> & { action?: string; installation?: { id: number } };

/**
 * The app's real server for one test file: started before its tests and stopped after them, like
 * `useGitHubApi()`. Call it at the top of the file; the returned server is usable inside tests.
 */
export function useAppServer(options: Parameters<typeof startAppServer>[0] = {}): AppServer {
  let started: AppServer | undefined;
  beforeAll(async () => {
    started = await startAppServer(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const running = (): AppServer => {
    if (!started) throw new Error("the app server is used before beforeAll started it");
    return started;
  };
  return {
    get url() {
      return running().url;
    },
    deliver: (event, payload, deliverOptions) => running().deliver(event, payload, deliverOptions),
    stop: () => running().stop(),
  };
}

/**
 * A deep copy of a real example payload of `event` (the first matching `pick`), with the installation
 * the tests' app is installed on.
 */
export function examplePayload<T = Example>(event: string, pick: (e: Example) => boolean = () => true): T {
  const group = (examples as unknown as { name: string; examples: Example[] }[]).find(
    (g) => g.name === event,
  );
  const found = group?.examples.find(pick);
  if (!found) throw new Error(`no @octokit/webhooks-examples payload for ${event} matching the filter`);
  const copy = structuredClone(found);
  copy.installation = { id: INSTALLATION_ID, ...(copy.installation ?? {}) } as { id: number };
  (copy.installation as { id: number }).id = INSTALLATION_ID;
  return copy as unknown as T;
}
