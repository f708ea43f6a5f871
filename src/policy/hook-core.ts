// The entry of the dedicated hook bundle (build/policy-hook-core.cjs): everything the hook needs,
// zod, yaml and mvdan-sh included, in one file that build/policy-hook.js runs with a V8 code cache.
import { readFileSync } from "node:fs";
import { decideSync } from "./decide.js";
import { parsePolicyText } from "./load.js";
import { loadShellParser } from "./shell.js";

export { runHookMain } from "./hook-main.js";

/**
 * Exercises the hot paths once so that the code cache written after it covers them: the YAML parser
 * (most policies are YAML; `warmPolicy` is the shipped default policy when the build passes it), the
 * schema, the shell parser and the checks.
 */
export async function warm(warmPolicy?: string): Promise<void> {
  await loadShellParser();
  const text = warmPolicy
    ? readFileSync(warmPolicy, "utf8")
    : "allow:\n  - { program: git, subcommand: status }\n  - program: ls\n    args: ['-la', '**']\n";
  const policy = parsePolicyText(text, "warm-up policy");
  for (const command of [
    "git status && ls -la | head -5 > out.txt",
    "env rm -rf x; echo $(cat y)",
    "f() { :; }",
    "npm ci && npm test # done",
  ]) {
    decideSync(policy, command, { cwd: process.cwd() });
  }
}
