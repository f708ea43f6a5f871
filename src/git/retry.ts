import { GitCommandError } from "./git.js";

/** How a git network operation is retried (network errors retry with exponential backoff; a rejection by the remote does not). */
export interface RetryOptions {
  /** Total attempts, the first included. Default 4. */
  attempts?: number;
  /** Delay before the second attempt; doubles each time. Default 500 ms. */
  baseDelayMs?: number;
  /** Upper bound of one delay. Default 8 s. */
  maxDelayMs?: number;
  /** Called before each wait, e.g. to log "retrying in 1 s". */
  onRetry?: (info: { attempt: number; delayMs: number; error: Error }) => void | Promise<void>;
}

/* Messages of failures that a later attempt may not see: the network, the server, a remote that is
   not there yet. Authentication failures and ref rejections are answers, not accidents. */
const TRANSIENT = [
  /could not resolve host/i,
  /connection (refused|reset|timed out|closed)/i,
  /operation timed out/i,
  /timed out/i,
  /early eof/i,
  /the remote end hung up unexpectedly/i,
  /rpc failed/i,
  /unable to access/i,
  /does not appear to be a git repository/i,
  /temporary failure/i,
  /\b50[234]\b/,
  /network is unreachable/i,
  /broken pipe/i,
  /ssl|tls/i,
];
const PERMANENT = [
  /authentication failed/i,
  /permission denied/i,
  /\b40[134]\b/,
  /invalid username or password/i,
];

/** Whether a failed git command is worth another attempt. Push rejections never are. */
export function isTransientGitError(error: unknown): boolean {
  if (!(error instanceof GitCommandError)) return false;
  if (error.rejected.length > 0) return false;
  if (PERMANENT.some((re) => re.test(error.stderr))) return false;
  return TRANSIENT.some((re) => re.test(error.stderr));
}

/** Runs `fn`, retrying transient git failures with exponential backoff; rethrows the last error. */
export async function withGitRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 8000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !isTransientGitError(error)) throw error;
      const delayMs = Math.min(max, base * 2 ** (attempt - 1));
      await options.onRetry?.({ attempt, delayMs, error: error as Error });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
