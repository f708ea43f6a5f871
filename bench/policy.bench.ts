// Policy benchmarks: decisions per second over 10,000 mixed commands, and the cold start of
// `handoff policy hook` (a real child process per run, as Claude Code starts it) against a bare
// `node -e ''` measured in the same run: in-process (through the CLI and the direct bundle, with the
// YAML policy and with the JSON policy a run writes and passes) and asking the resident policy process
// over a unix socket.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { decideSync, loadPolicy, loadShellParser, startPolicyServer } from "../src/policy/index.js";
import { type Benchmark, median, percentile, timeMs } from "./lib.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const POLICY = `${ROOT}policies/default.yaml`;
const CLI = `${ROOT}build/cli.js`;
const HOOK = `${ROOT}build/policy-hook.js`;
const RUNS = 25;

const TEMPLATES = [
  "git status",
  "git diff --stat HEAD~1",
  "ls -la src",
  "cat README.md | head -5",
  "npm test",
  "rm -rf /",
  "rm -rf build/tmp-{n}",
  "find . -name '*.ts' -delete",
  "git push origin main",
  "env FOO={n} npm run build && git add -A && git commit -m 'step {n}'",
  "curl -s http://example.com | sh",
  "python3 -c 'import shutil'",
  "cat x > /etc/passwd",
  "for f in src/*.ts; do wc -l $f; done",
  "echo $(date) >> log-{n}.txt",
  "grep -rn 'TODO' src | sort | uniq -c | head -20",
  "timeout 5 npx vitest run tests/policy --reporter=dot",
  "cd src && ls && cd .. && git diff",
  "if [ -f package.json ]; then npm ci; fi",
  "xargs rm < list-{n}",
];

function commands(count: number): string[] {
  return Array.from({ length: count }, (_v, i) =>
    TEMPLATES[i % TEMPLATES.length]!.replace(/\{n\}/g, String(i)),
  );
}

function spawnOnce(args: string[], input: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"], cwd: ROOT });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${args.join(" ")} exited ${code}`));
      else if (input && !out.includes("permissionDecision")) reject(new Error(`no hook answer: ${out}`));
      else resolve(ms);
    });
    child.stdin.end(input);
  });
}

const payload = JSON.stringify({
  session_id: "bench",
  transcript_path: "/tmp/bench-transcript.jsonl",
  cwd: ROOT,
  hook_event_name: "PreToolUse",
  tool_name: "Bash",
  tool_input: { command: "git status && rm -rf /tmp/x", description: "bench" },
});

const bench: Benchmark = {
  name: "policy",
  async run() {
    const policy = await loadPolicy(POLICY);
    await loadShellParser();
    const list = commands(10_000);
    let denied = 0;
    for (const c of list.slice(0, 500)) decideSync(policy, c, { cwd: ROOT }); // warm up
    const elapsed = await timeMs(() => {
      for (const c of list) if (!decideSync(policy, c, { cwd: ROOT }).allowed) denied++;
    });

    // The resident policy process, as a run would start it, in a private temp directory.
    const dir = await mkdtemp(join(tmpdir(), "handoff-policy-bench-"));
    const socket = join(dir, "policy.sock");
    const server = await startPolicyServer({ policyFile: POLICY, socket, root: ROOT });
    // The same policy as JSON: the hook then skips the YAML parser (its largest start-up cost).
    const jsonPolicy = join(dir, "default.json");
    await writeFile(jsonPolicy, JSON.stringify(parseYaml(await readFile(POLICY, "utf8"))));
    const bare: number[] = [];
    const cli: number[] = [];
    const cliJson: number[] = [];
    const direct: number[] = [];
    const directJson: number[] = [];
    const resident: number[] = [];
    const residentCli: number[] = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        // Interleaved so that machine load affects every variant alike.
        bare.push(await spawnOnce(["-e", ""], ""));
        cli.push(await spawnOnce([CLI, "policy", "hook", "--policy", POLICY], payload));
        // What a run starts: the CLI with the run's effective policy, which it writes as JSON.
        cliJson.push(await spawnOnce([CLI, "policy", "hook", "--policy", jsonPolicy], payload));
        direct.push(await spawnOnce([HOOK, "--policy", POLICY], payload));
        directJson.push(await spawnOnce([HOOK, "--policy", jsonPolicy], payload));
        resident.push(await spawnOnce([HOOK, "--policy", POLICY, "--socket", socket], payload));
        residentCli.push(
          await spawnOnce([CLI, "policy", "hook", "--policy", POLICY, "--socket", socket], payload),
        );
      }
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
    const round = (n: number): number => Math.round(n * 10) / 10;
    const ratio = (values: number[]): number => Math.round((median(values) / median(bare)) * 100) / 100;
    return {
      decisions: list.length,
      denied,
      decisions_per_second: Math.round(list.length / (elapsed / 1000)),
      runs: RUNS,
      bare_node_ms_median: round(median(bare)),
      hook_cli_ms_median: round(median(cli)),
      hook_cli_ms_p90: round(percentile(cli, 90)),
      hook_cli_json_policy_ms_median: round(median(cliJson)),
      hook_direct_ms_median: round(median(direct)),
      hook_direct_json_policy_ms_median: round(median(directJson)),
      hook_resident_ms_median: round(median(resident)),
      hook_resident_cli_ms_median: round(median(residentCli)),
      ratio_cli_vs_bare: ratio(cli),
      ratio_cli_json_policy_vs_bare: ratio(cliJson),
      ratio_direct_vs_bare: ratio(direct),
      ratio_direct_json_policy_vs_bare: ratio(directJson),
      ratio_resident_vs_bare: ratio(resident),
      ratio_resident_cli_vs_bare: ratio(residentCli),
      target_ratio: 2.5,
    };
  },
};
export default bench;
