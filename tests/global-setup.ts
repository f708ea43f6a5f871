import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";

/** Where the tests' copy of the Action lives: action.yml, the bundle of the current sources, shipped files. */
export const ACTION_PATH = resolve("build", "action");

/**
 * Tests that spawn the `handoff` CLI run the real bundle, so build it once before the suite; tests of
 * the Action run `scripts/bundle.mjs`'s output of the current sources, laid out like the action's checkout
 * (dist/ beside action.yml, package.json and the shipped folders), so the committed dist/ stays untouched.
 */
export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  rmSync(ACTION_PATH, { recursive: true, force: true });
  mkdirSync(ACTION_PATH, { recursive: true });
  execFileSync(process.execPath, ["scripts/bundle.mjs", "--outdir", join(ACTION_PATH, "dist")], {
    stdio: "inherit",
  });
  for (const entry of [
    "action.yml",
    "package.json",
    "agents",
    "policies",
    "playbooks",
    "runbooks",
    "examples",
  ])
    symlinkSync(resolve(entry), join(ACTION_PATH, entry));
}
