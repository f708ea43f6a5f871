/**
 * The Action as the runner runs it: a repository whose origin is served over HTTP by `git http-backend`
 * (token checked), a recording GitHub API server, a workspace cloned the way actions/checkout does with
 * `persist-credentials: false` (no credential left in .git/config), and the bundled `dist/action.js`
 * run as a child process with real `INPUT_*` variables and temp `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`
 * and `GITHUB_EVENT_PATH` files.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ACTION_PATH } from "../global-setup.js";
import { type GitSandbox, TEST_IDENTITY, withGitSandbox } from "./git.js";
import { type GitHttpServer, startGitHttpServer } from "./git-http.js";
import { type GitHubServer, startGitHubServer } from "./github-server.js";
import { setupRepo } from "../runs/cli-fixtures.js";

export const OWNER = "octo-org";
export const REPO = "app";
export const TOKEN = "ghs_testTokenValue0123456789abcdefABCDEF";

export interface ActionResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** What the step wrote to GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** What it appended to GITHUB_STEP_SUMMARY. */
  summary: string;
}

export interface ActionRun {
  pid: number;
  done: Promise<ActionResult>;
  stdout(): string;
}

export interface ActionFixture {
  sb: GitSandbox;
  /** The runner's checkout of the repository. */
  workspace: string;
  /** The bare repository behind the HTTP server. */
  bare: string;
  gitServer: GitHttpServer;
  api: GitHubServer;
  /** RUNNER_TEMP of the job. */
  runnerTemp: string;
  /** The child's environment for `inputs` (hyphenated input names, as action.yml passes them). */
  env(inputs: Record<string, string>, extra?: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv>;
  /** Spawns `node dist/action.js <phase>`. */
  start(phase: string, inputs: Record<string, string>, extra?: NodeJS.ProcessEnv): Promise<ActionRun>;
  run(phase: string, inputs: Record<string, string>, extra?: NodeJS.ProcessEnv): Promise<ActionResult>;
}

/** Parses the `name<<delimiter` records that @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    outputs[m[1]!] = value.join("\n");
  }
  return outputs;
}

export async function withActionFixture<T>(
  files: Record<string, string>,
  fn: (fixture: ActionFixture) => Promise<T>,
): Promise<T> {
  return withGitSandbox(async (sb) => {
    const source = await setupRepo(sb, files);
    const served = join(sb.root, "srv");
    const bare = join(served, OWNER, `${REPO}.git`);
    await mkdir(join(served, OWNER), { recursive: true });
    await sb.git(sb.root, "clone", "--quiet", "--bare", source, bare);
    const gitServer = await startGitHttpServer(served, TOKEN);
    const api = await startGitHubServer({ owner: OWNER, repo: REPO, token: TOKEN });
    try {
      const workspace = join(sb.root, "workspace");
      const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString("base64")}`;
      // actions/checkout with persist-credentials: false: the header is used for the clone only.
      await sb.git(
        sb.root,
        "-c",
        `http.${gitServer.url}/.extraheader=${header}`,
        "clone",
        "--quiet",
        `${gitServer.url}/${OWNER}/${REPO}.git`,
        workspace,
      );
      await sb.git(workspace, "config", "user.name", TEST_IDENTITY.name);
      await sb.git(workspace, "config", "user.email", TEST_IDENTITY.email);
      const runnerTemp = join(sb.root, "runner-temp");
      await mkdir(runnerTemp, { recursive: true });
      let step = 0;

      const env = async (inputs: Record<string, string>, extra: NodeJS.ProcessEnv = {}) => {
        step++;
        const output = join(runnerTemp, `output-${step}`);
        const summary = join(runnerTemp, `summary-${step}`);
        const event = join(runnerTemp, `event-${step}.json`);
        await writeFile(output, "");
        await writeFile(summary, "");
        if (!existsSync(event)) await writeFile(event, JSON.stringify({ inputs }));
        const vars: NodeJS.ProcessEnv = {
          PATH: process.env.PATH,
          HOME: sb.root,
          ...sb.env,
          CI: "true",
          GITHUB_ACTIONS: "true",
          GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
          GITHUB_SERVER_URL: gitServer.url,
          GITHUB_API_URL: api.url,
          GITHUB_WORKSPACE: workspace,
          GITHUB_EVENT_NAME: "workflow_dispatch",
          GITHUB_EVENT_PATH: event,
          GITHUB_ACTOR: "octocat",
          GITHUB_RUN_ID: "4242",
          GITHUB_RUN_ATTEMPT: "1",
          GITHUB_ACTION: "handoff",
          GITHUB_ACTION_PATH: ACTION_PATH,
          GITHUB_OUTPUT: output,
          GITHUB_STEP_SUMMARY: summary,
          RUNNER_TEMP: runnerTemp,
          ...extra,
        };
        for (const [name, value] of Object.entries(inputs)) vars[`INPUT_${name.toUpperCase()}`] = value;
        return vars;
      };

      const start = async (phase: string, inputs: Record<string, string>, extra?: NodeJS.ProcessEnv) => {
        const vars = await env(inputs, extra);
        const child = spawn(process.execPath, [join(ACTION_PATH, "dist", "action.js"), phase], {
          cwd: workspace,
          env: vars,
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
        child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
        const done = new Promise<ActionResult>((resolve) =>
          child.on("close", (code, signal) => {
            void (async () => {
              const outputs = parseOutputFile(await readFile(vars.GITHUB_OUTPUT!, "utf8"));
              const summary = await readFile(vars.GITHUB_STEP_SUMMARY!, "utf8");
              resolve({ code, signal, stdout, stderr, outputs, summary });
            })();
          }),
        );
        return { pid: child.pid!, done, stdout: () => stdout };
      };

      return await fn({
        sb,
        workspace,
        bare,
        gitServer,
        api,
        runnerTemp,
        env,
        start,
        run: async (phase, inputs, extra) => (await start(phase, inputs, extra)).done,
      });
    } finally {
      await gitServer.close();
      await api.close();
    }
  });
}
