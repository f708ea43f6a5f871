// The entry of the dedicated hook bundle (build/policy-hook-core.cjs): everything the hook needs,
// zod, yaml and mvdan-sh included, in one file that build/policy-hook.js runs with a V8 code cache.
import { decideSync } from "./decide.js";
import { parsePolicy } from "./load.js";
import { loadShellParser } from "./shell.js";

export { runHookMain } from "./hook-main.js";

/** Exercises the hot paths once so that the code cache written after it covers them. */
export async function warm(): Promise<void> {
  await loadShellParser();
  const policy = parsePolicy({
    allow: [{ program: "git", subcommand: "status" }],
    deny: [{ program: "rm" }],
  });
  for (const command of [
    "git status && ls -la | head -5 > out.txt",
    "env rm -rf x; echo $(cat y)",
    "f() { :; }",
  ]) {
    decideSync(policy, command, { cwd: process.cwd() });
  }
}
