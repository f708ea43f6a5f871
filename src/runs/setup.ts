/**
 * Everything a run needs before its first iteration: run id, redactor, worktree, evidence folder, the
 * effective policy (the repository's policy plus the role's git rules) and the hook command that makes
 * Claude Code ask it, and the playbook.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { roleCapabilities } from "../agents/index.js";
import type { Git } from "../git/git.js";
import { loadPlaybook, type Playbook } from "../playbooks/index.js";
import { loadPolicy, PolicySchema, type Policy } from "../policy/index.js";
import { Redactor } from "../redaction/index.js";
import { passedSecrets } from "../runtimes/index.js";
import { packageRoot } from "../util/package-root.js";
import { shellQuote } from "../util/shell-quote.js";
import { HandoffState } from "../state/handoff-state.js";

/** `2026-11-21T12-00-00Z-ab12cd`: sortable, unique, safe as a file and tag trailer. */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replaceAll(":", "-");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

/** The redactor of a run: every value passed to the agent by name, plus the known token shapes. */
export function runRedactor(env: NodeJS.ProcessEnv, names: readonly string[]): Redactor {
  return new Redactor({ secrets: passedSecrets(env, names) });
}

const POLICY_FILES = [".handoff/policy.yml", ".handoff/policy.yaml", ".handoff/policy.json"];
const PLAYBOOK_FILES = [".handoff/playbook.yml", ".handoff/playbook.yaml"];

/**
 * The policy file of a run: the one given, else the repository's `.handoff/policy.*`, else the shipped
 * `policies/default.yaml`. An agent never runs without a policy: the fallback is deny-by-default.
 */
export function findPolicyFile(repoTop: string, given?: string): string {
  if (given) return resolve(given);
  const own = POLICY_FILES.map((f) => join(repoTop, f)).find((f) => existsSync(f));
  return own ?? join(packageRoot(), "policies", "default.yaml");
}

/** The playbook of a run: the one given, else the worktree's `.handoff/playbook.yml`, else none. */
export async function findPlaybook(worktree: string, given?: string): Promise<Playbook | undefined> {
  const file = given
    ? resolve(given)
    : PLAYBOOK_FILES.map((f) => join(worktree, f)).find((f) => existsSync(f));
  return file ? loadPlaybook(file) : undefined;
}

export interface RunPolicy {
  /** The policy file's rules as loaded (the repository's, or the shipped default). */
  base: Policy;
  /** What the agent's tool calls are checked against: base + the role's deny rules. */
  effective: Policy;
  /** Where the effective policy was written for the hook (inside the evidence folder, never the worktree). */
  file: string;
  stopOnDeny: boolean;
}

/** Loads the policy and adds the role's git rules (a tester may not commit, only an integrator pushes…). */
export async function preparePolicy(
  policyFile: string,
  role: Parameters<typeof roleCapabilities>[0],
  evidenceDir: string,
): Promise<RunPolicy> {
  const base = await loadPolicy(policyFile);
  const roleRules = roleCapabilities(role).deny.map((rule) => ({
    ...rule,
    description: `the ${role} role may not run ${rule.program} ${rule.subcommand ?? ""}`.trim(),
  }));
  const effective = PolicySchema.parse({ ...base, deny: [...base.deny, ...roleRules] });
  const file = join(evidenceDir, "policy.json");
  await mkdir(evidenceDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(effective, null, 2)}\n`);
  return { base, effective, file, stopOnDeny: base.stop_on_deny };
}

/**
 * The tool hook command: Handoff's policy decides every call, answers in the CLI's protocol, fails closed
 * and (with `record`) appends each decision to a file in the run's evidence folder.
 */
export function policyHookCommand(
  cli: string,
  policyFile: string,
  options: { protocol?: "claude" | "gemini"; record?: string } = {},
): string {
  const argv = [process.execPath, cli, "policy", "hook", "--policy", policyFile];
  if (options.protocol && options.protocol !== "claude") argv.push("--protocol", options.protocol);
  if (options.record) argv.push("--record", options.record);
  return argv.map(shellQuote).join(" ");
}

/** Opens Handoff's state and the run's evidence folder (under the git common dir, never in a tree). */
export async function evidenceFolder(git: Git, runId: string): Promise<{ state: HandoffState; dir: string }> {
  const state = await HandoffState.open(git);
  const dir = join(state.dir, "evidence", runId);
  await mkdir(dir, { recursive: true });
  return { state, dir };
}
