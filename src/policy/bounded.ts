import vm from "node:vm";

/** Thrown when a synchronous check ran past its time limit and was stopped. */
export class CheckTimeoutError extends Error {}

const call = new vm.Script("globalThis.__handoffBoundedCheck()", { filename: "handoff-bounded-check" });

/**
 * Runs a synchronous check and stops it after `ms` milliseconds. A timer cannot fire while the main
 * thread is busy, so a `--timeout` that only set a timer would not hold during a long check; V8's
 * script watchdog (the `timeout` option of `vm`) interrupts the running JavaScript from another
 * thread, and the caller gets a CheckTimeoutError to turn into a deny.
 */
export function runWithin<T>(ms: number, check: () => T): T {
  const slot = globalThis as { __handoffBoundedCheck?: () => T };
  const previous = slot.__handoffBoundedCheck;
  slot.__handoffBoundedCheck = check;
  try {
    return call.runInThisContext({ timeout: Math.max(1, Math.floor(ms)) }) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      throw new CheckTimeoutError(`the check took longer than ${ms} ms`);
    }
    throw error;
  } finally {
    slot.__handoffBoundedCheck = previous;
  }
}
