/**
 * Retrying failed GitHub requests, as `@octokit/plugin-retry` does (same statuses, same backoff, same
 * `retries`/`retryAfterBaseValue` options) but without its per-request Bottleneck limiter, which costs
 * about 5 ms of timers on every request, failed or not (bench/results/app.json): on a delivery of four
 * calls that is most of the time the app spends. Rate limits (403/429 with `retry-after`) stay the
 * throttling plugin's job; this retries server errors and GraphQL's transient "Something went wrong".
 */
import type { Octokit } from "@octokit/rest";
import { httpStatus } from "./map.js";

export interface RetryOptions {
  enabled?: boolean;
  /** Tries after the first (default 3). */
  retries?: number;
  /** Milliseconds per backoff unit: try k waits k² units (default 1000). */
  retryAfterBaseValue?: number;
  /** Statuses never retried: the request itself is wrong, or a limit the throttling plugin handles. */
  doNotRetry?: number[];
}

const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 451];
const TRANSIENT_GRAPHQL = /Something went wrong while executing your query/;

declare module "@octokit/core/types" {
  interface OctokitOptions {
    retryRequests?: RetryOptions;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An Octokit plugin; its options (`retryRequests`, those of `@octokit/plugin-retry`'s `retry`) have
 * their own key because Probot's Octokit carries plugin-retry too, switched off with `retry`.
 */
export function retryRequests(
  octokit: Pick<Octokit, "hook">,
  octokitOptions: ConstructorParameters<typeof Octokit>[0] & { retryRequests?: RetryOptions },
): void {
  const state = { enabled: true, retries: 3, retryAfterBaseValue: 1000, ...octokitOptions?.retryRequests };
  if (!state.enabled) return;
  const doNotRetry = state.doNotRetry ?? DO_NOT_RETRY;
  octokit.hook.wrap("request", async (request, options) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await request(options);
        const errors = (response.data as { errors?: { message?: string }[] } | undefined)?.errors;
        if (attempt < state.retries && errors?.length && TRANSIENT_GRAPHQL.test(errors[0]?.message ?? "")) {
          await sleep((attempt + 1) ** 2 * state.retryAfterBaseValue);
          continue;
        }
        return response;
      } catch (error) {
        const status = httpStatus(error);
        if (status === undefined || status < 400 || doNotRetry.includes(status) || attempt >= state.retries)
          throw error;
        await sleep((attempt + 1) ** 2 * state.retryAfterBaseValue);
      }
    }
  });
}
