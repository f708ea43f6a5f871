/**
 * The real Claude Code CLI (the pinned devDependency) for tests. The npm package's `bin/claude.exe` is
 * replaced by its postinstall script, which npm may block; the platform package always carries the
 * binary, so tests use that one and put it on PATH as `claude` in a temp folder.
 */
import { existsSync } from "node:fs";
import { mkdir, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The absolute path of the native `claude` binary for this platform. */
export function claudeBinary(): string {
  const musl =
    process.platform === "linux" &&
    !existsSync("/lib/ld-linux-x86-64.so.2") &&
    existsSync("/lib/ld-musl-x86_64.so.1");
  const pkg = `@anthropic-ai/claude-code-${process.platform}-${process.arch}${musl ? "-musl" : ""}`;
  const dir = dirname(require.resolve(`${pkg}/package.json`));
  return join(dir, process.platform === "win32" ? "claude.exe" : "claude");
}

/** Makes `<dir>/bin/claude` and a throwaway HOME; returns the env a test adds for Claude Code runs. */
export async function claudeEnv(dir: string, baseUrl: string): Promise<Record<string, string>> {
  const bin = join(dir, "bin");
  const home = join(dir, "home");
  await mkdir(bin, { recursive: true });
  await mkdir(home, { recursive: true });
  await symlink(claudeBinary(), join(bin, "claude"));
  return {
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    HOME: home,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: "sk-ant-test-dummy-key-0000",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  };
}
