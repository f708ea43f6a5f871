/**
 * The Octokit the app's handlers get as `context.octokit`: Probot's, with its throttling and retry,
 * except that a secondary rate limit is waited out and retried. Probot's own default only logs it and
 * fails the delivery, which would lose a `/complete` answered during a burst. Server errors are retried
 * by ../forge/github/retry.ts instead of Probot's `@octokit/plugin-retry`, whose per-request limiter
 * cost ~5 ms on every call (bench/results/app.json).
 */
import { ProbotOctokit } from "probot";
import { retryRequests } from "../forge/github/retry.js";

/** How often a rate-limited request is retried after waiting GitHub's `retry-after`. */
const RATE_LIMIT_RETRIES = 3;

export interface AppOctokitOptions {
  /** Throttling and retry (default on; handler tests turn them off to see every request once). */
  retries?: boolean;
  /**
   * Throttling alone (default: as `retries`). Off in the benchmark, whose local API has no limits: the
   * throttle's 1–3 s spacing of writes is a deliberate wait, not work the app does.
   */
  throttle?: boolean;
  /** Milliseconds per unit of `retry-after` and of the retry backoff (default 1000, GitHub's seconds). */
  retryAfterBaseValue?: number;
}

type Options = Record<string, unknown> & { throttle?: Record<string, unknown> };

export function appOctokit(options: AppOctokitOptions = {}): typeof ProbotOctokit {
  const enabled = options.retries ?? true;
  const throttled = options.throttle ?? enabled;
  const base = options.retryAfterBaseValue ?? 1000;
  const again = (_after: number, _request: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < RATE_LIMIT_RETRIES;
  // A function, not an object: Probot passes its own throttle options to every installation client,
  // and only a defaults function sees them and can replace the handlers.
  return ProbotOctokit.plugin(retryRequests).defaults((instance: Options) => ({
    ...instance,
    retry: { enabled: false },
    retryRequests: { enabled, retryAfterBaseValue: base },
    throttle: throttled
      ? {
          ...instance.throttle,
          enabled: true,
          retryAfterBaseValue: base,
          onRateLimit: again,
          onSecondaryRateLimit: again,
        }
      : { enabled: false },
  })) as typeof ProbotOctokit;
}
