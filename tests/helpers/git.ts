/**
 * Real git repositories for tests. `withGitSandbox` makes a temp folder with its own global git config
 * (`GIT_CONFIG_GLOBAL` → a temp file, `GIT_CONFIG_NOSYSTEM=1`), applies that environment to
 * `process.env` while the callback runs (so product code and `runCli` children see it too), and
 * removes everything in `finally`.
 *
 * Fixtures run git directly on purpose: the code under test uses src/git, the fixtures must not.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export const TEST_IDENTITY = { name: "Handoff Test", email: "test@handoff.invalid" } as const;

export interface GitSandbox {
  /** The temp folder holding every repo of this sandbox. */
  root: string;
  /** The isolated git environment (also applied to process.env during the callback). */
  env: NodeJS.ProcessEnv;
  /** Runs `git args…` in `cwd` and returns trimmed stdout; throws with stderr on failure. */
  git(cwd: string, ...args: string[]): Promise<string>;
  /** Runs git and returns the exit code, stdout and stderr without throwing. */
  gitResult(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** `git init` a repo at `root/name` on `branch` with identity, and one initial commit of `files`. */
  createRepo(name?: string, options?: { branch?: string; files?: Record<string, string> }): Promise<string>;
  /** A `--bare` clone of `repo` at `root/<name>.git`, added to `repo` as `remote` with fetched refs. */
  bareOrigin(repo: string, options?: { name?: string; remote?: string }): Promise<string>;
  /** A normal clone of `url` at `root/name`, with identity configured. */
  cloneRepo(url: string, name: string): Promise<string>;
  /** Writes `files` in `repo`, stages and commits them; returns the new sha. */
  commitFiles(repo: string, files: Record<string, string>, message?: string): Promise<string>;
  /** Writes one file, stages and commits it; returns the new sha. */
  commitFile(repo: string, path: string, content: string, message?: string): Promise<string>;
  /** Writes a file without committing it. */
  writeFile(repo: string, path: string, content: string): Promise<void>;
  /** The sha of `ref` in `repo`. */
  head(repo: string, ref?: string): Promise<string>;
  /** `git for-each-ref` of every ref with its sha: compare before/after to prove nothing moved. */
  refs(repo: string): Promise<string>;
}

let counter = 0;

export async function withGitSandbox<T>(fn: (sandbox: GitSandbox) => Promise<T>): Promise<T> {
  const root = await mkdtemp(join(tmpdir(), "handoff-git-"));
  const globalConfig = join(root, "gitconfig");
  await writeFile(
    globalConfig,
    [
      "[user]",
      `\tname = ${TEST_IDENTITY.name}`,
      `\temail = ${TEST_IDENTITY.email}`,
      "[commit]\n\tgpgsign = false",
      "[tag]\n\tgpgsign = false",
      "[init]\n\tdefaultBranch = main",
      "[advice]\n\tdetachedHead = false",
      "",
    ].join("\n"),
  );
  const env: NodeJS.ProcessEnv = {
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
  };
  const saved = new Map<string, string | undefined>();
  for (const key of Object.keys(env)) saved.set(key, process.env[key]);
  // Identity variables from the host would override the sandbox config.
  for (const key of [
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_DIR",
  ]) {
    saved.set(key, process.env[key]);
    delete process.env[key];
  }
  Object.assign(process.env, env);

  const gitResult = async (cwd: string, ...args: string[]) => {
    try {
      const { stdout, stderr } = await execFileAsync("git", args, { cwd, env: { ...process.env, ...env } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return {
        code: typeof e.code === "number" ? e.code : 1,
        stdout: e.stdout ?? "",
        stderr: e.stderr ?? "",
      };
    }
  };
  const git = async (cwd: string, ...args: string[]) => {
    const result = await gitResult(cwd, ...args);
    if (result.code !== 0)
      throw new Error(`git ${args.join(" ")} (in ${cwd}) failed: ${result.stderr.trim()}`);
    return result.stdout.trim();
  };
  const configureRepo = async (repo: string) => {
    await git(repo, "config", "user.name", TEST_IDENTITY.name);
    await git(repo, "config", "user.email", TEST_IDENTITY.email);
    await git(repo, "config", "commit.gpgsign", "false");
    await git(repo, "config", "tag.gpgsign", "false");
  };
  const writeRepoFile = async (repo: string, path: string, content: string) => {
    const file = join(repo, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  };
  const commitFiles = async (repo: string, files: Record<string, string>, message?: string) => {
    for (const [path, content] of Object.entries(files)) await writeRepoFile(repo, path, content);
    await git(repo, "add", "--", ...Object.keys(files));
    await git(
      repo,
      "commit",
      "--quiet",
      "--allow-empty",
      "-m",
      message ?? `Change ${Object.keys(files).join(", ")}`,
    );
    return git(repo, "rev-parse", "HEAD");
  };

  const sandbox: GitSandbox = {
    root,
    env,
    git,
    gitResult,
    async createRepo(name = `repo${++counter}`, options = {}) {
      const repo = join(root, name);
      await mkdir(repo, { recursive: true });
      await git(repo, "init", "--quiet", `--initial-branch=${options.branch ?? "main"}`);
      await configureRepo(repo);
      await commitFiles(repo, options.files ?? { "README.md": "# test repo\n" }, "Initial commit");
      return repo;
    },
    async bareOrigin(repo, options = {}) {
      const remote = options.remote ?? "origin";
      const bare = join(root, `${options.name ?? `origin${++counter}`}.git`);
      await git(root, "clone", "--quiet", "--bare", repo, bare);
      await git(repo, "remote", "add", remote, bare);
      await git(repo, "fetch", "--quiet", remote);
      const branch = await git(repo, "symbolic-ref", "--short", "HEAD");
      await git(repo, "branch", "--quiet", `--set-upstream-to=${remote}/${branch}`, branch);
      return bare;
    },
    async cloneRepo(url, name) {
      const dir = join(root, name);
      await git(root, "clone", "--quiet", url, dir);
      await configureRepo(dir);
      return dir;
    },
    commitFiles,
    commitFile: (repo, path, content, message) => commitFiles(repo, { [path]: content }, message),
    writeFile: writeRepoFile,
    head: (repo, ref = "HEAD") => git(repo, "rev-parse", ref),
    refs: (repo) => git(repo, "for-each-ref", "--format=%(objectname) %(refname)"),
  };

  try {
    return await fn(sandbox);
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(root, { recursive: true, force: true });
  }
}
