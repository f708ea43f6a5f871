import { pipeline } from "node:stream/promises";
import { redactorFromEnv } from "./index.js";

/**
 * Pipes stdin through a redactor to stdout (with backpressure: a slow reader slows the writer, memory
 * stays flat). Unset or empty variables are reported on stderr but do not stop the filter: token
 * shapes are still masked, and a log filter that fails would lose the log.
 */
export async function redactStdio(names: readonly string[]): Promise<void> {
  const redactor = redactorFromEnv(names);
  for (const name of redactor.missing) {
    process.stderr.write(`handoff: warning: --secret-env ${name}: variable is unset or empty\n`);
  }
  try {
    await pipeline(process.stdin, redactor.stream(), process.stdout);
  } catch (error) {
    // The reader went away (`| head`): stop quietly, like other filters.
    if ((error as NodeJS.ErrnoException).code === "EPIPE") return;
    throw error;
  }
}
