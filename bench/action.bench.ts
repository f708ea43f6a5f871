// The Action's own cost, measured on the bundle of the current sources (`scripts/bundle.mjs`, as CI
// builds dist/), run as the runner runs it: `node dist/action.js main` with INPUT_* variables, origin
// served by `git http-backend` and the GitHub API by the recording test server, both on 127.0.0.1.
// - start-up: from the action's process start to the agent CLI's spawn, with a no-op agent that
//   records the time it was started (target ≤ 1 s median);
// - orchestration overhead of a whole `run` on a 10,000-file repository beyond what actions/checkout
//   already did: the step's wall time minus the agent's and the playbook's (target ≤ 1.5 s median);
// - getting an agent CLI: cold from the npm registry (empty npm cache) and warm from a cache folder
//   (what actions/cache restores), for `@anthropic-ai/claude-code` at the pinned version.
// Start-up and overhead are measured for the current bundle (in place, the default; and in a worktree)
// and for a baseline: the committed dist/ of an earlier commit (HANDOFF_BENCH_ACTION_BASELINE, default
// the last commit before the speed work), interleaved run by run so that all see the same load. One
// unrecorded warm-up job per scenario pays the test servers' own one-time costs (the OpenAPI index).
import { execFile, execFileSync, spawn } from "node:child_process";
import { promisify } from "node:util";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NPM_AGENT_CLIS } from "../src/action/agent-cli.js";
import { startGitHttpServer } from "../tests/helpers/git-http.js";
import { startGitHubServer } from "../tests/helpers/github-server.js";
import { type Benchmark, median, percentile } from "./lib.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
// Outside build/, which every test run's global setup wipes.
const ACTION = join(tmpdir(), "handoff-bench-action", "current");
const TOKEN = "ghs_benchToken0123456789abcdefABCDEF01";
const RUNS = Number(process.env.HANDOFF_BENCH_RUNS ?? 5);
const FILES = 10_000;
/** The commit whose committed dist/ is the baseline: main before the in-place mode and write burst. */
const BASELINE = process.env.HANDOFF_BENCH_ACTION_BASELINE ?? "12b8380";

/** One way of running the action: its bundle and the inputs that differ. */
interface Variant {
  name: string;
  /** The folder holding dist/action.js. */
  action: string;
  inputs: Record<string, string>;
}

function git(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).trim();
}

/** A repository with `files` committed files, a no-op agent that stamps its start time, a no-op playbook. */
function makeRepo(dir: string, env: NodeJS.ProcessEnv, files: number): void {
  mkdirSync(dir, { recursive: true });
  git(dir, env, "init", "--quiet", "--initial-branch=main");
  for (let i = 0; i < files; i++) {
    const sub = join(dir, "src", `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.ts`), `export const v${i} = ${i};\n`);
  }
  const agent = join(dir, ".handoff", "agents", "noop");
  mkdirSync(join(agent, "prompts"), { recursive: true });
  writeFileSync(join(agent, "prompts", "system.md"), "Do nothing.\n");
  writeFileSync(
    join(agent, "agent.json"),
    JSON.stringify({
      name: "noop",
      displayName: "No-op",
      description: "Stamps the time it was started, to measure Handoff itself",
      role: "coder",
      runtime: { adapter: "command", command: "sh", args: ["-c", "date +%s%3N > spawned-at.txt"], env: [] },
      behavior: {
        systemPromptPath: "prompts/system.md",
        completionType: "iterationBudget",
        completionConfig: { maxIterations: 1 },
      },
      finalize: { autoMerge: false, push: false, remote: "origin", createPr: false },
    }),
  );
  writeFileSync(join(dir, ".handoff", "policy.yml"), "default_action: allow\n");
  writeFileSync(
    join(dir, ".handoff", "playbook.yml"),
    'name: noop\nsteps:\n  - name: check\n    command: ["true"]\n    timeout_seconds: 30\n',
  );
  writeFileSync(join(dir, ".gitignore"), ".worktrees/\n");
  git(dir, env, "add", "-A");
  git(dir, env, "commit", "--quiet", "-m", `${files} files`);
}

interface Timed {
  wallMs: number;
  spawnedAfterMs: number;
  agentMs: number;
  playbookMs: number;
}

async function scenario(files: number, variants: Variant[]): Promise<Record<string, Timed[]>> {
  const root = mkdtempSync(join(tmpdir(), "handoff-bench-action-"));
  const config = join(root, "gitconfig");
  writeFileSync(
    config,
    "[user]\n\tname = Bench\n\temail = bench@handoff.invalid\n[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n",
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: root,
    GIT_CONFIG_GLOBAL: config,
    GIT_CONFIG_NOSYSTEM: "1",
  };
  const source = join(root, "source");
  makeRepo(source, env, files);
  const served = join(root, "srv");
  mkdirSync(join(served, "o"), { recursive: true });
  git(root, env, "clone", "--quiet", "--bare", source, join(served, "o", "r.git"));
  const gitServer = await startGitHttpServer(served, TOKEN);
  const api = await startGitHubServer({ owner: "o", repo: "r", token: TOKEN });
  const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString("base64")}`;
  const results: Record<string, Timed[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
  let job = 0;
  try {
    for (let round = 0; round <= RUNS; round++) {
      for (const variant of variants) {
        const i = ++job;
        // A fresh job: its own checkout, as actions/checkout leaves it (not part of the measurement).
        const workspace = join(root, `workspace-${i}`);
        // Async: the HTTP git server lives in this process, and a synchronous clone would block it.
        await promisify(execFile)(
          "git",
          [
            "-c",
            `http.${gitServer.url}/.extraheader=${header}`,
            "clone",
            "--quiet",
            `${gitServer.url}/o/r.git`,
            workspace,
          ],
          { cwd: root, env },
        );
        api.addIssue(i, { title: `Job ${i}` });
        const temp = join(root, `temp-${i}`);
        mkdirSync(temp);
        writeFileSync(join(temp, "out"), "");
        const vars: NodeJS.ProcessEnv = {
          ...env,
          CI: "true",
          GITHUB_REPOSITORY: "o/r",
          GITHUB_SERVER_URL: gitServer.url,
          GITHUB_API_URL: api.url,
          GITHUB_WORKSPACE: workspace,
          GITHUB_EVENT_NAME: "workflow_dispatch",
          GITHUB_OUTPUT: join(temp, "out"),
          RUNNER_TEMP: temp,
          INPUT_MODE: "run",
          INPUT_ISSUE: String(i),
          INPUT_AGENT: "noop",
          "INPUT_GITHUB-TOKEN": TOKEN,
          ...Object.fromEntries(
            Object.entries(variant.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
          ),
        };
        const started = Date.now();
        const t0 = process.hrtime.bigint();
        let log = "";
        const code = await new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, [join(variant.action, "dist", "action.js"), "main"], {
            cwd: workspace,
            env: vars,
            stdio: ["ignore", "pipe", "pipe"],
          });
          child.stdout.setEncoding("utf8").on("data", (c: string) => (log += c));
          child.stderr.setEncoding("utf8").on("data", (c: string) => (log += c));
          child.on("close", resolve);
        });
        const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
        if (code !== 0) throw new Error(`action run ${i} exited ${code}: ${log}`);
        // In place the agent works in the checkout itself, else in the issue's worktree.
        const stamp = [
          join(workspace, "spawned-at.txt"),
          join(workspace, ".worktrees", `issue-${i}`, "spawned-at.txt"),
        ];
        const spawnedAt = Number(
          readFileSync(
            stamp.find((f) => existsSync(f))!,
            "utf8",
          ).trim(),
        );
        const ledgerDir = join(workspace, ".git", "handoff", "evidence");
        const [runId] = execFileSync("ls", [ledgerDir], { encoding: "utf8" }).trim().split("\n");
        const ledger = readFileSync(join(ledgerDir, runId!, "ci_evidence.jsonl"), "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as { kind: string; duration_ms?: number });
        const sum = (kind: string) =>
          ledger.filter((e) => e.kind === kind).reduce((s, e) => s + (e.duration_ms ?? 0), 0);
        // Round 0 warms the servers up and is not recorded.
        if (round > 0)
          results[variant.name]!.push({
            wallMs,
            spawnedAfterMs: spawnedAt - started,
            agentMs: sum("agent_turn"),
            playbookMs: sum("step_result"),
          });
      }
    }
  } finally {
    await gitServer.close();
    await api.close();
    rmSync(root, { recursive: true, force: true });
  }
  return results;
}

function install(prefix: string, cache: string, spec: string): number {
  const t0 = process.hrtime.bigint();
  execFileSync(
    "npm",
    [
      "install",
      "--prefix",
      prefix,
      "--no-save",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      "--cache",
      cache,
      spec,
    ],
    {
      stdio: "ignore",
    },
  );
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const round = (n: number) => Math.round(n);

/** Where the fetch tool leaves claude-code-action's repository on this machine (read, never copied). */
const PEER_MIRROR = "/work/.mirror/anthropics+claude-code-action/repo";

/**
 * claude-code-action's own run-time setup, cold, measured the same way: it installs Bun 1.3.14
 * (oven-sh/setup-bun downloads the binary from GitHub; here the same binary comes from the npm
 * registry, the only one reachable) and runs `bun install --production` in its checkout.
 */
function peerSetupMs(dir: string): { bun: number; install: number } | null {
  try {
    execFileSync("git", ["-C", PEER_MIRROR, "rev-parse", "HEAD"], { stdio: "ignore" });
  } catch {
    return null;
  }
  const bun = install(join(dir, "bun"), join(dir, "bun-npm-cache"), "bun@1.3.14");
  const checkout = join(dir, "peer");
  mkdirSync(checkout);
  for (const file of ["package.json", "bun.lock", "bunfig.toml", ".npmrc"]) {
    try {
      writeFileSync(join(checkout, file), execFileSync("git", ["-C", PEER_MIRROR, "show", `HEAD:${file}`]));
    } catch {
      // Not every version has every file.
    }
  }
  const t0 = process.hrtime.bigint();
  execFileSync(join(dir, "bun", "node_modules", ".bin", "bun"), ["install", "--production"], {
    cwd: checkout,
    env: { ...process.env, BUN_INSTALL_CACHE_DIR: join(dir, "bun-cache") },
    stdio: "ignore",
  });
  return { bun, install: Number(process.hrtime.bigint() - t0) / 1e6 };
}

const bench: Benchmark = {
  name: "action",
  async run() {
    rmSync(ACTION, { recursive: true, force: true });
    execFileSync(process.execPath, ["scripts/bundle.mjs", "--outdir", join(ACTION, "dist")], {
      cwd: ROOT,
      stdio: "inherit",
    });
    for (const entry of ["package.json", "agents", "policies"])
      cpSync(join(ROOT, entry), join(ACTION, entry), { recursive: true });
    // The baseline as it was committed: its dist/ and the files it ships with.
    const baseline = join(tmpdir(), "handoff-bench-action", "baseline");
    rmSync(baseline, { recursive: true, force: true });
    mkdirSync(baseline, { recursive: true });
    execFileSync(
      "sh",
      ["-c", `git archive ${BASELINE} dist package.json agents policies | tar -x -C "${baseline}"`],
      {
        cwd: ROOT,
      },
    );
    const variants: Variant[] = [
      { name: "baseline", action: baseline, inputs: {} },
      { name: "in_place", action: ACTION, inputs: {} },
      { name: "worktree", action: ACTION, inputs: { "in-place": "false" } },
    ];
    const loadBefore = loadavg();
    const smallRuns = await scenario(10, variants);
    const largeRuns = await scenario(FILES, variants);
    const loadAfter = loadavg();
    const overheadOf = (runs: Timed[]) => runs.map((r) => r.wallMs - r.agentMs - r.playbookMs);
    const small = smallRuns.in_place!;
    const large = largeRuns.in_place!;
    const overhead = overheadOf(large);
    const compare = Object.fromEntries(
      variants.map((v) => [
        v.name,
        {
          startup_to_agent_spawn_ms_median: round(median(smallRuns[v.name]!.map((r) => r.spawnedAfterMs))),
          orchestration_overhead_ms_median: round(median(overheadOf(largeRuns[v.name]!))),
          large_repo_startup_to_agent_spawn_ms_median: round(
            median(largeRuns[v.name]!.map((r) => r.spawnedAfterMs)),
          ),
          samples_ms: {
            startup: smallRuns[v.name]!.map((r) => round(r.spawnedAfterMs)),
            overhead: overheadOf(largeRuns[v.name]!).map(round),
          },
        },
      ]),
    );

    const cli = NPM_AGENT_CLIS["claude-code"]!;
    const dir = mkdtempSync(join(tmpdir(), "handoff-bench-cli-"));
    let cold: number | null = null;
    let warm: number | null = null;
    let peer: { bun: number; install: number } | null = null;
    try {
      cold = install(join(dir, "cold"), join(dir, "npm-cache"), `${cli.package}@${cli.version}`);
      // Warm: what actions/cache restores is the installed folder itself.
      const t0 = process.hrtime.bigint();
      cpSync(join(dir, "cold"), join(dir, "warm"), { recursive: true, verbatimSymlinks: true });
      warm = Number(process.hrtime.bigint() - t0) / 1e6;
      peer = peerSetupMs(dir);
    } catch (error) {
      process.stderr.write(`cli install not measured: ${(error as Error).message}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const startup = small.map((r) => r.spawnedAfterMs);
    return {
      runs: RUNS,
      baseline_commit: BASELINE,
      load_average_before: loadBefore.map((l) => Math.round(l * 100) / 100),
      load_average_after: loadAfter.map((l) => Math.round(l * 100) / 100),
      startup_to_agent_spawn_ms_median: round(median(startup)),
      startup_to_agent_spawn_ms_p90: round(percentile(startup, 90)),
      startup_target_ms: 1000,
      startup_meets_target: median(startup) <= 1000,
      repo_files: FILES,
      run_wall_ms_median: round(median(large.map((r) => r.wallMs))),
      orchestration_overhead_ms_median: round(median(overhead)),
      orchestration_overhead_ms_p90: round(percentile(overhead, 90)),
      large_repo_startup_to_agent_spawn_ms_median: round(median(large.map((r) => r.spawnedAfterMs))),
      overhead_target_ms: 1500,
      overhead_meets_target: median(overhead) <= 1500,
      agent_cli: `${cli.package}@${cli.version}`,
      agent_cli_cold_install_ms: cold === null ? null : round(cold),
      agent_cli_warm_restore_ms: warm === null ? null : round(warm),
      peer_claude_code_action_setup_ms: peer ? round(peer.bun + peer.install) : null,
      peer_bun_install_ms: peer ? round(peer.bun) : null,
      peer_bun_install_production_ms: peer ? round(peer.install) : null,
      cold_no_slower_than_peer: peer && cold !== null ? cold <= peer.bun + peer.install : null,
      warm_agent_spawned_within_ms: warm === null ? null : round(warm + median(startup)),
      samples_ms: {
        startup: startup.map(round),
        overhead: overhead.map(round),
        large_startup: large.map((r) => round(r.spawnedAfterMs)),
      },
      // The same figures for each variant, measured in this run: the baseline beside the current bundle.
      variants: compare,
    };
  },
};
export default bench;
