// The OS sandbox holds when the policy is bypassed on purpose: under an allow-all policy a playbook
// step (a script the agent could have written) tries to rewrite git config and hooks, to write
// outside the worktree, to reach a server on 127.0.0.1 and to read a token from its environment.
// `sandbox: off` runs the same script to show that each attempt would otherwise succeed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPlaybook } from "../../src/playbooks/index.js";
import { parsePolicy } from "../../src/policy/index.js";
import { probeSandbox, resetSandboxProbe } from "../../src/sandbox/bwrap.js";
import { playbook } from "../playbooks/helpers.js";
import { withTempDir } from "../helpers/temp.js";

const allowAll = parsePolicy({ default_action: "allow" }, "allow-all");

const ATTACK = `
const fs = require("fs"), net = require("net"), path = require("path");
const [outside, port, commonDir] = process.argv.slice(2);
const out = {};
const attempt = (key, fn) => { try { fn(); out[key] = "done"; } catch (e) { out[key] = e.code || String(e); } };
attempt("config", () => fs.appendFileSync(path.join(commonDir, "config"), "\\n[core]\\n\\tfsmonitor = touch pwned\\n"));
attempt("hook", () => fs.writeFileSync(path.join(commonDir, "hooks", "pre-commit"), "#!/bin/sh\\ntouch pwned\\n"));
attempt("gitlink", () => { if (fs.statSync(".git").isFile()) fs.writeFileSync(".git", "gitdir: /tmp/evil\\n"); else throw Object.assign(new Error(), { code: "NOT-A-LINK" }); });
attempt("outside", () => fs.writeFileSync(path.join(outside, "escaped"), "x"));
attempt("inside", () => fs.writeFileSync("inside.txt", "ok"));
out.token = process.env.GITHUB_TOKEN === undefined ? "absent" : "present";
const socket = net.connect(Number(port), "127.0.0.1");
socket.on("connect", () => { out.network = "connected"; socket.destroy(); done(); });
socket.on("error", (e) => { out.network = e.code; done(); });
function done() { console.log(JSON.stringify(out)); }
`;

let port = 0;
const server = createServer((socket) => socket.end());
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server.close();
});

const git = (cwd: string, ...args: string[]) => {
  const result = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" },
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
};

/** A repository with one commit and a linked worktree (the shape a run works in). */
function repoWithWorktree(dir: string): { repo: string; worktree: string; outside: string } {
  const repo = join(dir, "repo");
  const worktree = join(dir, "wt");
  const outside = join(dir, "outside");
  mkdirSync(outside);
  mkdirSync(repo);
  git(repo, "init", "-q", "-b", "main");
  git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "init");
  git(repo, "worktree", "add", "-q", "-b", "issue-1", worktree);
  writeFileSync(join(worktree, "attack.js"), ATTACK);
  return { repo, worktree, outside };
}

async function attack(
  worktree: string,
  outside: string,
  common: string,
  options: { sandbox: "auto" | "off"; network?: boolean },
) {
  const result = await runPlaybook(
    playbook([
      {
        name: "attack",
        command: ["node", "attack.js", outside, String(port), common],
        network: options.network ?? false,
      },
    ]),
    {
      cwd: worktree,
      policy: allowAll,
      sandbox: options.sandbox,
      env: { PATH: process.env.PATH, GITHUB_TOKEN: "ghp_secret" },
    },
  );
  const step = result.steps[0]!;
  expect(step.status, step.outputTail).toBe("passed");
  return { step, seen: JSON.parse(step.outputTail.trim().split("\n").at(-1)!) as Record<string, string> };
}

describe("the OS sandbox holds under an allow-all policy", () => {
  it("is available on this machine (CI installs bubblewrap in .ci/run)", async () => {
    expect(await probeSandbox()).toEqual({ available: true });
  });

  it("stops a step from rewriting git config, hooks or the worktree link, escaping, networking or reading a token", async () => {
    await withTempDir(async (dir) => {
      const { repo, worktree, outside } = repoWithWorktree(dir);
      const common = join(repo, ".git");
      const before = readFileSync(join(common, "config"), "utf8");
      const { step, seen } = await attack(worktree, outside, common, { sandbox: "auto" });
      expect(step.sandboxed).toBe(true);
      expect(seen).toMatchObject({
        config: "EROFS",
        gitlink: "EROFS",
        inside: "done",
        token: "absent",
        network: "ECONNREFUSED",
      });
      expect(["EROFS", "ENOENT"]).toContain(seen.hook);
      expect(readFileSync(join(common, "config"), "utf8")).toBe(before);
      expect(existsSync(join(common, "hooks", "pre-commit"))).toBe(false);
      expect(readFileSync(join(worktree, ".git"), "utf8")).toMatch(/^gitdir: .*worktrees/);
      // /tmp inside is private: a write "outside" under /tmp lands there, never on the host.
      expect(existsSync(join(outside, "escaped"))).toBe(false);
      expect(readFileSync(join(worktree, "inside.txt"), "utf8")).toBe("ok");
      // git still works in the worktree afterwards, from outside the sandbox.
      expect(git(worktree, "status", "--porcelain")).toContain("inside.txt");
    });
  });

  it("protects .git/config and hooks of a plain checkout too, and lets a step declare network: true", async () => {
    await withTempDir(async (dir) => {
      const repo = join(dir, "plain");
      const outside = join(dir, "outside");
      mkdirSync(outside);
      mkdirSync(repo);
      git(repo, "init", "-q");
      writeFileSync(join(repo, "attack.js"), ATTACK);
      const { seen } = await attack(repo, outside, join(repo, ".git"), { sandbox: "auto", network: true });
      expect(seen).toMatchObject({ config: "EROFS", inside: "done", network: "connected" });
      expect(readFileSync(join(repo, ".git/config"), "utf8")).not.toContain("fsmonitor");
    });
  });

  it("shows the attempts succeed without it (sandbox: off), so the test above can fail", async () => {
    await withTempDir(async (dir) => {
      const { repo, worktree, outside } = repoWithWorktree(dir);
      const { step, seen } = await attack(worktree, outside, join(repo, ".git"), { sandbox: "off" });
      expect(step.sandboxed).toBe(false);
      expect(seen).toMatchObject({ config: "done", hook: "done", outside: "done", network: "connected" });
      // The declared-environment rule holds without the sandbox too.
      expect(seen.token).toBe("absent");
    });
  });

  it("fails closed under sandbox: required when bwrap cannot run, saying how to fix it", async () => {
    await withTempDir(async (dir) => {
      const path = process.env.PATH;
      resetSandboxProbe();
      process.env.PATH = join(dir, "empty-bin");
      try {
        const required = parsePolicy({ default_action: "allow", sandbox: "required" }, "required");
        const result = await runPlaybook(
          playbook([
            { name: "t", command: ["true"] },
            { name: "u", command: "true" },
          ]),
          {
            cwd: dir,
            policy: required,
            env: { PATH: path },
          },
        );
        expect(result.ok).toBe(false);
        expect(result.steps[0]).toMatchObject({ status: "denied", attempts: 0, sandboxed: false });
        expect(result.steps[0]?.reason).toMatch(
          /sandbox: required, but bwrap cannot start .*apt-get install -y bubblewrap.*apparmor_restrict_unprivileged_userns/,
        );
        // auto runs without it and records why.
        const auto = await runPlaybook(playbook([{ name: "t", command: ["true"] }]), {
          cwd: dir,
          env: { PATH: path },
        });
        expect(auto.steps[0]).toMatchObject({ status: "passed", sandboxed: false });
        expect(auto.steps[0]?.sandboxReason).toMatch(/bwrap cannot start/);
      } finally {
        process.env.PATH = path;
        resetSandboxProbe();
      }
    });
  });
});
