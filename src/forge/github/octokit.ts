/**
 * The Octokit Handoff builds outside the app (CLI, Action): `@octokit/rest` with throttling and retry
 * (./retry.ts: `@octokit/plugin-retry`'s behaviour without its per-request timers).
 * Never `@actions/github`'s `getOctokit()`: its own fetch escapes nock, so nothing it does is testable.
 * In the Probot app, `context.octokit` is passed to the forge instead (it has the same plugins).
 */
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck/light.js";
import { Octokit } from "@octokit/rest";
import { retryRequests } from "./retry.js";

/** The parts of an Octokit the GitHub forge uses; both `@octokit/rest` and Probot's octokit have them. */
export type ForgeOctokit = Pick<InstanceType<typeof Octokit>, "rest" | "paginate" | "request" | "graphql">;

const HandoffOctokit = Octokit.plugin(throttling, retryRequests);

export interface OctokitOptions {
  /** A token (installation, `GITHUB_TOKEN`, fine-grained PAT); none for anonymous reads. */
  token?: string;
  /** REST API root: `https://api.github.com`, or a GHES `https://ghe.example.com/api/v3`. */
  baseUrl?: string;
  /** The fetch to use (tests and recording proxies inject one); global fetch by default. */
  fetch?: typeof fetch;
  /** How many times a rate-limited request is retried after waiting (default 3). */
  rateLimitRetries?: number;
  /** Multiplier for GitHub's `retry-after` seconds and the retry backoff, in ms (default 1000). */
  retryAfterBaseMs?: number;
  /** Turns retry and throttling off (handler tests that must see every request once). */
  noRetry?: boolean;
  /**
   * Writes (and content-creating requests) sent back to back before they are spaced one a second. The
   * throttling plugin's own spacing (1 s between writes, 3 s between comments, issues and PRs) suits a
   * long-lived client making many; a short-lived one such as the Action makes a handful per job, far
   * below GitHub's secondary limits (80 content-creating requests a minute), and a secondary limit it
   * still meets is waited out and retried as before. Default: the plugin's spacing.
   */
  writeBurst?: number;
  userAgent?: string;
}

const quiet = () => undefined;

/**
 * `capacity` requests at once, then one a second (a token bucket), each gate serial like the plugin's.
 * The plugin only waits on these gates before a request: the request itself still goes through its
 * global gate, and a rate-limit answer is still retried.
 */
function burstGroup(capacity: number): Bottleneck.Group {
  return new Bottleneck.Group({
    maxConcurrent: 1,
    reservoir: capacity,
    reservoirIncreaseInterval: 1000,
    reservoirIncreaseAmount: 1,
    reservoirIncreaseMaximum: capacity,
  });
}

export function createOctokit(options: OctokitOptions = {}): ForgeOctokit {
  const retries = options.rateLimitRetries ?? 3;
  const base = options.retryAfterBaseMs ?? 1000;
  // A rate-limited request waits GitHub's `retry-after` and tries again, a few times at most.
  const again = (_after: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < retries;
  return new HandoffOctokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? "https://api.github.com").replace(/\/+$/, ""),
    userAgent: options.userAgent ?? "handoff",
    // Octokit logs every failed request; an expected 404 (a missing label, a new branch) is not news.
    // The forge's own errors say what failed.
    log: { debug: quiet, info: quiet, warn: console.warn.bind(console), error: quiet },
    request: options.fetch ? { fetch: options.fetch } : {},
    throttle: {
      enabled: !options.noRetry,
      onRateLimit: again,
      onSecondaryRateLimit: again,
      retryAfterBaseValue: base,
      ...(options.writeBurst
        ? { write: burstGroup(options.writeBurst), notifications: burstGroup(options.writeBurst) }
        : {}),
    },
    retryRequests: { enabled: !options.noRetry, retryAfterBaseValue: base },
  });
}
