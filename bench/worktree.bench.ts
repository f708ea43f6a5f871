// Worktree creation (Handoff's prepareWorktree path) against `git clone --local` of the same
// 10,000-file repository, measured in the same run, rotating which goes first; plus a plain
// `git worktree add` to show prepareWorktree's own overhead.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { removeWorktree, prepareWorktree } from "../src/worktrees/prepare.js";
import { type Benchmark, median, timeMs } from "./lib.js";

const run = promisify(execFile);
const FILES = 10_000;
const SAMPLES = 7;

async function git(cwd: string, ...args: string[]): Promise<void> {
  await run("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 });
}

/** 10,000 small source-like files in 100 folders, one commit. */
async function generateRepo(root: string): Promise<string> {
  const repo = join(root, "big");
  await mkdir(repo, { recursive: true });
  await git(repo, "init", "--quiet", "--initial-branch=main");
  for (let d = 0; d < 100; d++) {
    const dir = join(repo, "src", `pkg${d}`);
    await mkdir(dir, { recursive: true });
    await Promise.all(
      Array.from({ length: FILES / 100 }, (_, f) =>
        writeFile(
          join(dir, `file${f}.ts`),
          `export const value${d}_${f} = ${d * 1000 + f};\n// ${"x".repeat(200)}\n`,
        ),
      ),
    );
  }
  await git(repo, "add", "--all");
  await git(repo, "commit", "--quiet", "-m", "10,000 files");
  return repo;
}

const bench: Benchmark = {
  name: "worktree",
  async run() {
    const root = await mkdtemp(join(tmpdir(), "handoff-bench-worktree-"));
    const saved = { global: process.env.GIT_CONFIG_GLOBAL, nosystem: process.env.GIT_CONFIG_NOSYSTEM };
    const config = join(root, "gitconfig");
    await writeFile(
      config,
      "[user]\n\tname = Bench\n\temail = bench@handoff.invalid\n[commit]\n\tgpgsign = false\n",
    );
    process.env.GIT_CONFIG_GLOBAL = config;
    process.env.GIT_CONFIG_NOSYSTEM = "1";
    try {
      const repo = await generateRepo(root);
      const worktreeMs: number[] = [];
      const cloneMs: number[] = [];
      // Plain `git worktree add`, to show what prepareWorktree adds on top (its checks and bookkeeping).
      const rawMs: number[] = [];
      for (let i = 1; i <= SAMPLES; i++) {
        const measureWorktree = async () => {
          worktreeMs.push(await timeMs(() => prepareWorktree({ repo, issue: i, title: `Bench issue ${i}` })));
          await removeWorktree({ repo, issue: i, force: true });
        };
        const measureClone = async () => {
          const dest = join(root, `clone${i}`);
          cloneMs.push(await timeMs(() => git(root, "clone", "--quiet", "--local", repo, dest)));
          await rm(dest, { recursive: true, force: true });
        };
        const measureRaw = async () => {
          const dest = join(root, `raw${i}`);
          rawMs.push(await timeMs(() => git(repo, "worktree", "add", "--quiet", "-b", `raw${i}`, dest)));
          await git(repo, "worktree", "remove", "--force", dest);
        };
        // Rotate the order so that no series always runs with a warmer (or colder) cache.
        const order = [measureWorktree, measureClone, measureRaw];
        for (let k = 0; k < order.length; k++) await order[(i + k) % order.length]!();
      }
      const worktree = median(worktreeMs);
      const clone = median(cloneMs);
      return {
        files: FILES,
        samples: SAMPLES,
        worktree_median_ms: Math.round(worktree),
        clone_local_median_ms: Math.round(clone),
        ratio_worktree_to_clone: Number((worktree / clone).toFixed(3)),
        // The machine is shared and its load drifts; ratios within a round (measured back to back) are
        // steadier than ratios of medians taken over the whole run.
        ratio_paired_median: Number(median(worktreeMs.map((w, k) => w / cloneMs[k]!)).toFixed(3)),
        git_worktree_add_median_ms: Math.round(median(rawMs)),
        prepare_overhead_paired_median_ms: Math.round(median(worktreeMs.map((w, k) => w - rawMs[k]!))),
        worktree_ms: worktreeMs.map(Math.round),
        clone_local_ms: cloneMs.map(Math.round),
        git_worktree_add_ms: rawMs.map(Math.round),
        // The machine is shared; a high load explains spread between samples.
        load_average_1m: Number(loadavg()[0]!.toFixed(2)),
      };
    } finally {
      if (saved.global === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = saved.global;
      if (saved.nosystem === undefined) delete process.env.GIT_CONFIG_NOSYSTEM;
      else process.env.GIT_CONFIG_NOSYSTEM = saved.nosystem;
      await rm(root, { recursive: true, force: true });
    }
  },
};

export default bench;
