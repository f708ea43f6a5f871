/**
 * The OS sandbox for the code Handoff runs on an agent's behalf (playbook steps, validators, the
 * `command` runtime): bubblewrap (`bwrap`). The policy reads a command before it runs; the sandbox
 * holds while it runs, when the policy was fooled or the allowed program (`npm test`, `make`) runs
 * code the agent wrote. Inside: the whole file system read-only, except the worktree and the git
 * metadata it needs (never the repository's `config`, `hooks/` or the worktree's `.git` link, which
 * Handoff's own git commands would trust afterwards); a private `/tmp` and home; no network unless
 * the step declares `network: true`; only the environment the caller built (declared names).
 */
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";

/** `sandbox:` in a policy file: use bwrap when it works (`auto`), insist on it, or never use it. */
export type SandboxMode = "auto" | "required" | "off";

/** Whether bwrap can run here, found once per process. */
export interface SandboxProbe {
  available: boolean;
  /** Why not, with how to fix it. */
  reason?: string;
}

/** What one sandboxed process may touch. */
export interface SandboxSpec {
  /** The worktree: writable, and where relative paths start. */
  worktree: string;
  /** The directory the process starts in (inside the worktree). */
  cwd: string;
  /** Allow network access (an `npm ci` step). Default: only a private loopback. */
  network?: boolean;
  /** More paths to keep readable (the private /tmp would hide them), e.g. the prompt file. */
  readOnly?: readonly string[];
}

/** How the caller's process was sandboxed, for the evidence. */
export interface SandboxUse {
  /** The argv to spawn (bwrap … -- argv, or argv itself). */
  argv: [string, ...string[]];
  sandboxed: boolean;
  /** Why it was not sandboxed (`off`, or bwrap is missing under `auto`). */
  reason?: string;
}

/** The home directory inside the sandbox (on its private /tmp). */
export const SANDBOX_HOME = "/tmp/handoff-home";

const FIX =
  "install bubblewrap (Debian/Ubuntu: apt-get install -y bubblewrap); on Ubuntu 24.04 runners allow " +
  "unprivileged user namespaces first (sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0), " +
  "or set `sandbox: auto` or `off` in the policy file";

let probe: Promise<SandboxProbe> | undefined;

/** Checks once whether bwrap exists and can create its namespaces (a real sandboxed `true`). */
export function probeSandbox(): Promise<SandboxProbe> {
  probe ??= new Promise((resolvePromise) => {
    const child = spawn("bwrap", [...namespaceArgs(false), "--ro-bind", "/", "/", "--dev", "/dev", "true"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error: NodeJS.ErrnoException) =>
      resolvePromise({
        available: false,
        reason: `bwrap cannot start (${error.code ?? error.message}): ${FIX}`,
      }),
    );
    child.on("close", (code) =>
      resolvePromise(
        code === 0
          ? { available: true }
          : {
              available: false,
              reason: `bwrap cannot create its namespaces (${stderr.trim().split("\n")[0] || `exit ${code}`}): ${FIX}`,
            },
      ),
    );
  });
  return probe;
}

/** Forgets the probe (tests that change PATH). */
export function resetSandboxProbe(): void {
  probe = undefined;
}

/**
 * Decides how to run `argv` under `mode`: wrapped in bwrap, as is (`off`, or `auto` without bwrap,
 * with the reason recorded), or refused (`required` without bwrap: throws SandboxUnavailable).
 */
export async function sandboxed(
  argv: readonly [string, ...string[]],
  mode: SandboxMode,
  spec: SandboxSpec,
  path = process.env.PATH ?? "",
): Promise<SandboxUse> {
  if (mode === "off") return { argv: [...argv], sandboxed: false, reason: "sandbox: off" };
  // A program that does not exist runs nowhere: let the spawn report it (exit 127) as without bwrap.
  if (!findProgram(argv[0], path, spec.cwd))
    return { argv: [...argv], sandboxed: false, reason: "the program was not found" };
  const found = await probeSandbox();
  if (!found.available) {
    if (mode === "required") throw new SandboxUnavailable(`sandbox: required, but ${found.reason}`);
    return { argv: [...argv], sandboxed: false, reason: found.reason };
  }
  return { argv: ["bwrap", ...bwrapArgs(spec), "--", ...argv], sandboxed: true };
}

/**
 * Whether an agent CLI's own tool sandbox (Claude Code's, built on bwrap and `programs`) can hold here,
 * decided like `sandboxed`: never under `off`, when it can under `auto` (with the reason when not), and
 * under `required` only when it can (SandboxUnavailable otherwise, before the CLI starts).
 */
export async function vendorSandbox(
  mode: SandboxMode,
  programs: readonly string[],
  path: string,
  cwd: string,
): Promise<{ sandboxed: boolean; reason?: string }> {
  if (mode === "off") return { sandboxed: false, reason: "sandbox: off" };
  const missing = programs.filter((program) => !findProgram(program, path, cwd));
  const found = await probeSandbox();
  const reason = !found.available
    ? found.reason
    : missing.length > 0
      ? `the agent CLI's sandbox needs ${missing.join(", ")} on PATH (Debian/Ubuntu: apt-get install -y ` +
        `${missing.join(" ")}), or set \`sandbox: auto\` or \`off\` in the policy file`
      : undefined;
  if (reason === undefined) return { sandboxed: true };
  if (mode === "required") throw new SandboxUnavailable(`sandbox: required, but ${reason}`);
  return { sandboxed: false, reason };
}

/** Whether `program` names an executable file, directly or on `path`. */
function findProgram(program: string, path: string, cwd: string): boolean {
  const executable = (file: string): boolean => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (program.includes("/")) return executable(resolve(cwd, program));
  return path.split(delimiter).some((dir) => dir !== "" && executable(join(dir, program)));
}

/** Thrown under `sandbox: required` when bwrap is missing or cannot create namespaces. */
export class SandboxUnavailable extends Error {}

function namespaceArgs(network: boolean): string[] {
  const args = ["--unshare-user-try", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"];
  // No pid namespace: the process stays in the runner's process group, so a timeout's kill(-pid)
  // reaches everything it started, and pids it prints mean the same outside.
  if (!network) args.push("--unshare-net");
  return [...args, "--die-with-parent"];
}

/** The bwrap arguments for one process (exported for the tests and the benchmark). */
export function bwrapArgs(spec: SandboxSpec): string[] {
  const worktree = resolve(spec.worktree);
  const args = [...namespaceArgs(spec.network === true), "--ro-bind", "/", "/", "--dev", "/dev"];
  if (process.getuid?.() === 0) args.push("--cap-drop", "ALL");
  args.push("--tmpfs", "/tmp", "--dir", SANDBOX_HOME);
  const git = gitMetadata(worktree);
  // Order matters: later mounts cover earlier ones. The repository's metadata is read-only as a whole
  // (also when it lives under /tmp, which the private /tmp would hide), the parts git writes while it
  // works are writable, and config, hooks and the worktree link are read-only again on top.
  if (git) args.push("--ro-bind", git.common, git.common);
  for (const path of spec.readOnly ?? []) if (existsSync(path)) args.push("--ro-bind", path, path);
  args.push("--bind", worktree, worktree);
  if (git) {
    for (const path of git.writable) if (existsSync(path)) args.push("--bind", path, path);
    for (const path of git.readOnly) {
      if (existsSync(path)) args.push("--ro-bind", path, path);
      else if (path.endsWith("hooks")) args.push("--tmpfs", path, "--remount-ro", path);
    }
  }
  args.push("--chdir", resolve(spec.cwd), "--setenv", "HOME", SANDBOX_HOME, "--setenv", "TMPDIR", "/tmp");
  return args;
}

interface GitMetadata {
  common: string;
  writable: string[];
  readOnly: string[];
}

/**
 * Where the worktree's git metadata lives, read from the files git itself reads (`.git` as a
 * directory, or a `gitdir:` file and `commondir`), without running git.
 */
export function gitMetadata(worktree: string): GitMetadata | null {
  const dotGit = join(worktree, ".git");
  let gitDir: string;
  let linkFile = false;
  try {
    if (statSync(dotGit).isDirectory()) gitDir = dotGit;
    else {
      const line = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
      if (!line) return null;
      gitDir = isAbsolute(line) ? line : resolve(worktree, line);
      linkFile = true;
    }
  } catch {
    return null;
  }
  let common = gitDir;
  try {
    const rel = readFileSync(join(gitDir, "commondir"), "utf8").trim();
    common = isAbsolute(rel) ? rel : resolve(gitDir, rel);
  } catch {
    common = linkFile ? dirname(dirname(gitDir)) : gitDir;
  }
  // git writes its index (and a lock beside it) and objects while it works; everything that decides
  // what Handoff's own git commands do afterwards — config, hooks, refs, HEAD, the links between the
  // worktree and its repository — stays read-only.
  const writable = [gitDir, join(common, "objects")];
  const readOnly = [
    join(common, "config"),
    join(common, "hooks"),
    join(common, "info"),
    join(common, "modules"),
    join(common, "refs"),
    join(common, "packed-refs"),
    join(common, "logs"),
    join(gitDir, "HEAD"),
    join(gitDir, "config.worktree"),
    join(gitDir, "commondir"),
    join(gitDir, "gitdir"),
    ...(gitDir === common ? [join(common, "worktrees")] : []),
    ...(linkFile ? [dotGit] : []),
  ];
  return { common, writable, readOnly };
}
