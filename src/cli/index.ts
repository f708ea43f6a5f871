#!/usr/bin/env node
// `handoff policy hook` runs once per agent tool call: it skips the command tree and loads only the
// dedicated hook bundle (build/policy-hook.js, see src/policy/hook-loader.ts). Everything else goes
// through main.ts.
import { failedClosed } from "../policy/hook-protocol.js";

const [group, verb, ...rest] = process.argv.slice(2);
if (group === "policy" && verb === "hook" && !rest.includes("--help") && !rest.includes("-h")) {
  await runHook(rest);
} else {
  const { run } = await import("./main.js");
  process.exitCode = await run(process.argv);
}

async function runHook(argv: string[]): Promise<void> {
  try {
    const bundled = new URL("./policy-hook.js", import.meta.url).href;
    let hook: { runBundledHook(argv: readonly string[]): Promise<void> } | undefined;
    try {
      hook = (await import(bundled)) as typeof hook;
    } catch {
      hook = undefined; // running from source: no bundle next to this file
    }
    if (hook) return await hook.runBundledHook(argv);
    const { runHookMain } = await import("../policy/hook-main.js");
    return await runHookMain(argv);
  } catch (error) {
    // Fail closed: exit 0 with a deny answer (any exit code but 0 and 2 would let the tool run).
    process.stdout.write(`${failedClosed(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = 0;
  }
}
