/**
 * The real Codex and Gemini CLIs (pinned devDependencies) for tests: each is put on PATH as its usual
 * command in a temp `bin/`, with a throwaway HOME. Only the model endpoint is scripted.
 */
import { mkdir, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The npm entry of a CLI package (what `npx codex` / `npx gemini` runs). */
export function vendorEntry(cli: "codex" | "gemini"): string {
  const pkg = cli === "codex" ? "@openai/codex" : "@google/gemini-cli";
  const dir = dirname(require.resolve(`${pkg}/package.json`));
  return join(dir, cli === "codex" ? "bin/codex.js" : "bundle/gemini.js");
}

async function cliDirs(
  dir: string,
  cli: "codex" | "gemini",
): Promise<{ bin: string; home: string; tmp: string }> {
  const bin = join(dir, "bin");
  const home = join(dir, "home");
  // Codex refuses to create its sandbox helper under the temp dir, so HOME must not be inside TMPDIR.
  const tmp = join(dir, "tmp");
  for (const d of [bin, home, tmp]) await mkdir(d, { recursive: true });
  await symlink(vendorEntry(cli), join(bin, cli));
  return { bin, home, tmp };
}

/** `<dir>/bin/codex`, HOME and TMPDIR; the conventional OpenAI variables point at `baseUrl`. */
export async function codexEnv(dir: string, baseUrl: string): Promise<Record<string, string>> {
  const { bin, home, tmp } = await cliDirs(dir, "codex");
  return {
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    HOME: home,
    TMPDIR: tmp,
    OPENAI_BASE_URL: `${baseUrl}/v1`,
    OPENAI_API_KEY: "sk-openai-test-dummy-key-0000",
  };
}

/** `<dir>/bin/gemini` and HOME; the conventional Gemini variables point at `baseUrl`. */
export async function geminiEnv(dir: string, baseUrl: string): Promise<Record<string, string>> {
  const { bin, home, tmp } = await cliDirs(dir, "gemini");
  return {
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    HOME: home,
    TMPDIR: tmp,
    GOOGLE_GEMINI_BASE_URL: baseUrl,
    GEMINI_API_KEY: "gemini-test-dummy-key-0000",
  };
}
