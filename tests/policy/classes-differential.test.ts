// The classes of commands that bash runs differently from how a static reading sees them (issue 11 §1).
// Each class has several variants; each variant is decided by the policy, and where the attack has an
// effect that can be observed, it is first run by real bash in a throwaway scene to prove that it is
// real (a file written outside, a config rewritten, a hook run, a socket opened): a variant whose
// attack did not work in bash would prove nothing about the policy.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PolicyInput, decide, parsePolicy } from "../../src/policy/index.js";
import { CheckTimeoutError, runWithin } from "../../src/policy/bounded.js";
import { withTempDir } from "../helpers/temp.js";

const policy = parsePolicy(
  {
    allow: [
      { program: "ls" },
      { program: "cat" },
      { program: "echo" },
      { program: "touch" },
      { program: "cp" },
      { program: "cd" },
      { program: ":" },
      { program: "read" },
      { program: "printf" },
      { program: "git", subcommand: "status" },
      { program: "git", subcommand: "diff" },
      { program: "npm", subcommand: "test" },
    ],
  } satisfies PolicyInput,
  "classes policy",
);

interface Scene {
  /** The worktree: a git repo, the only write path. */
  work: string;
  /** A directory outside it (the parent is outside too). */
  out: string;
  parent: string;
}

/** Builds a fresh scene: links and config files that an agent could have left in its worktree. */
function scene(dir: string): Scene {
  const work = join(dir, "work");
  const out = join(dir, "outside");
  mkdirSync(join(out, "sub"), { recursive: true });
  writeFileSync(join(out, "sub/keep"), "");
  mkdirSync(join(dir, "home"));
  mkdirSync(work);
  spawnSync("git", ["init", "-q", work]);
  const hook = `[core]\n\tfsmonitor = "touch ${work}/pwned; false"\n`;
  writeFileSync(join(work, "a.txt"), "a\n");
  writeFileSync(join(work, ".gitconfig"), hook); // read when HOME points here
  mkdirSync(join(work, "src/git"), { recursive: true });
  writeFileSync(join(work, "src/git/config"), hook); // read when XDG_CONFIG_HOME points at src
  writeFileSync(join(work, "package.json"), '{"name":"x","version":"1.0.0","scripts":{"test":"true"}}');
  writeFileSync(join(work, "evil.sh"), `#!/bin/sh\ntouch ${work}/pwned\n`, { mode: 0o755 });
  writeFileSync(join(work, "rc"), "script-shell=./evil.sh\n");
  symlinkSync(join(out, "sub"), join(work, "lnk")); // lnk/../x is outside/x for the kernel
  symlinkSync(join(out, "new"), join(work, "dang")); // dangling: a write creates outside/new
  symlinkSync(out, join(work, "é")); // a non-ASCII name
  return { work, out, parent: dir };
}

/** Runs the command in real bash; async, so that the test's TCP server can accept meanwhile. */
async function bash(command: string, s: Scene): Promise<void> {
  const child = spawn("bash", ["--norc", "--noprofile", "-c", command], {
    cwd: s.work,
    env: {
      PATH: process.env.PATH,
      HOME: join(s.parent, "home"),
      GIT_CONFIG_NOSYSTEM: "1",
      LC_ALL: "C.UTF-8",
    },
    stdio: ["pipe", "ignore", "ignore"],
    timeout: 30_000,
  });
  child.stdin.end();
  await new Promise((resolve) => child.on("close", resolve));
  // A connection bash opened may be accepted just after it exits.
  for (let i = 0; i < 20 && connections === 0 && command.includes("/dev/tcp/"); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** [command, rules the denial may carry, proof that bash really does the harm (when observable)]. */
type Variant = [string, string[], ((s: Scene) => boolean)?];
const pwned = (s: Scene): boolean => existsSync(join(s.work, "pwned"));
const gitConfigRewritten = (s: Scene): boolean =>
  !readFileSync(join(s.work, ".git/config"), "utf8").includes("[core]");
const outside = (path: string) => (s: Scene) => existsSync(join(s.out, path));

let port = 0;
let connections = 0;
const server = createServer((socket) => {
  connections++;
  socket.end();
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server.close();
});

const CLASSES: Record<string, Variant[]> = {
  "patterns in a write target or a path argument": [
    ["ls > .gi?/config", ["write-path"], gitConfigRewritten],
    [
      "ls >> .g*t/config",
      ["write-path"],
      (s) => readFileSync(join(s.work, ".git/config"), "utf8").includes("a.txt"),
    ],
    [
      "git diff --output .g*t/config",
      ["write-path"],
      (s) => statSync(join(s.work, ".git/config")).size === 0,
    ],
    ["git diff --output .gi?/HEAD", ["write-path"], (s) => statSync(join(s.work, ".git/HEAD")).size === 0],
    [
      "echo x > ./.?it/description",
      ["write-path"],
      (s) => readFileSync(join(s.work, ".git/description"), "utf8") === "x\n",
    ],
    [
      "echo x > src/../.gi*/info/exclude",
      ["write-path"],
      (s) => readFileSync(join(s.work, ".git/info/exclude"), "utf8") === "x\n",
    ],
    // bash leaves this word alone (no file is named `--output=.git`): denied anyway, the policy reads a superset.
    ["git diff --output=.gi?/description", ["write-path"]],
    ["touch .g*/hooks/post-checkout", ["write-path"]],
    ["echo x > ln*/keep", ["write-path"], (s) => readFileSync(join(s.out, "sub/keep"), "utf8") === "x\n"],
    ["cp a.txt l?k", ["write-path"], outside("sub/a.txt")],
  ],
  "loop, select and builtin variables are assignments": [
    ["for HOME in .; do git status; done", ["dangerous-env"], pwned],
    ["select HOME in .; do git status; break; done <<< 1", ["dangerous-env"], pwned],
    ["read HOME <<< . ; git status", ["dangerous-env"], pwned],
    ["printf -v HOME . ; git status", ["dangerous-env"], pwned],
    ["for XDG_CONFIG_HOME in src; do git status; done", ["dangerous-env"]],
    [": ${GIT_DIR:=x}; git status", ["dangerous-env"]],
    ["for GIT_TRACE in /tmp/x; do git status; done", ["dangerous-env"]],
  ],
  "variables that redirect configuration or output, by family": [
    ["XDG_CONFIG_HOME=src git status", ["dangerous-env"], pwned],
    ["GIT_TRACE2_EVENT={out}/trace git status", ["dangerous-env"], outside("trace")],
    ["env GIT_TRACE={out}/t3 git status", ["dangerous-env"], outside("t3")],
    ["NODE_V8_COVERAGE={out}/cov npm test", ["dangerous-env"], outside("cov")],
    ["GIT_TRACE_PACKET={out}/t2 git status", ["dangerous-env"]],
    ["NODE_REDIRECT_WARNINGS={out}/w npm test", ["dangerous-env"]],
    ["export GIT_INDEX_FILE=x; git status", ["dangerous-env"]],
    ["MY_TOOL_CONFIG=x git status", ["dangerous-env"]],
  ],
  "options of unknown arity hide the subcommand": [
    [
      "git --shallow-file status -c 'alias.x=!touch pwned' x",
      ["always-deny:git-config", "unknown-option"],
      pwned,
    ],
    ["git --shallow-file status x", ["unknown-option"]],
    [
      "npm --otp test exec -c 'touch pwned'",
      ["always-deny:shell", "unknown-option", "default_action"],
      pwned,
    ],
    ["git --bogus status", ["unknown-option"]],
    ["npm --frobnicate test", ["unknown-option"]],
    ["git --git-dir=x status", ["always-deny:git-config"]],
  ],
  "npm's abbreviated long options": [
    ["npm --script-shel=./evil.sh test", ["always-deny:package-manager-config"], pwned],
    ["npm --usercon=./rc test", ["always-deny:package-manager-config"], pwned],
    ["npm --globalconf=./rc test", ["always-deny:package-manager-config"], pwned],
    ["npm --node-opt='--require ./x.cjs' test", ["always-deny:package-manager-config"]],
    ["npm --SCRIPT_SHELL=./evil.sh test", ["always-deny:package-manager-config"]],
    ["npm test --script-sh ./evil.sh", ["always-deny:package-manager-config"]],
  ],
  'locale translation $"…"': [
    ['echo $"x"', ["unsupported-syntax"]],
    ['cat $"a.txt"', ["unsupported-syntax"]],
    ['ls "a"$"b"', ["unsupported-syntax"]],
  ],
  "/dev/tcp and /dev/udp in any redirection": [
    ["cat a.txt 1</dev/tcp/127.0.0.1/{port}", ["network"], () => connections > 0],
    ["cat < /dev/tcp/127.0.0.1/{port}", ["network"], () => connections > 0],
    ["echo x > /dev/tcp/127.0.0.1/{port}", ["network"], () => connections > 0],
    ["exec 3<>/dev/udp/127.0.0.1/9", ["network"]],
    ["cat < //dev//tcp/127.0.0.1/9", ["network"]],
    ["cat < /dev/tc?/127.0.0.1/9", ["network"]],
    ["cat < $F", ["network"]],
  ],
  symlinks: [
    ["echo x > lnk/../x", ["write-path"], outside("x")],
    ["touch lnk/../y", ["write-path"], outside("y")],
    ["echo x > dang", ["write-path"], outside("new")],
    ["cp a.txt dang", ["write-path"]], // GNU cp refuses dangling links itself; others do not
    ["echo x > é/z", ["write-path"], outside("z")],
    ["echo x > $'\\xc3\\xa9'/w", ["write-path"], outside("w")],
  ],
  "cd -- .. changes directory": [
    ["cd -- .. && echo x > f", ["write-path"], (s) => existsSync(join(s.parent, "f"))],
    ["cd -L -- .. && ls > g", ["write-path"], (s) => existsSync(join(s.parent, "g"))],
    ["cd -P -- ..; touch h", ["write-path"], (s) => existsSync(join(s.parent, "h"))],
  ],
};

describe("classes the policy used to misread, against real bash", () => {
  for (const [name, variants] of Object.entries(CLASSES)) {
    it(`denies ${name}`, async () => {
      for (const [template, rules, proof] of variants) {
        await withTempDir(async (dir) => {
          const s = scene(dir);
          const command = template.replaceAll("{out}", s.out).replaceAll("{port}", String(port));
          if (proof) {
            connections = 0;
            await bash(command, s);
            expect(
              proof(s),
              `bash did not do the harm of ${JSON.stringify(command)}: the variant proves nothing`,
            ).toBe(true);
          }
          const fresh = scene(join(dir, "again"));
          const decision = await decide(
            policy,
            command.replaceAll(s.work, fresh.work).replaceAll(s.out, fresh.out),
            {
              cwd: fresh.work,
            },
          );
          expect(decision.allowed, `${JSON.stringify(command)} → ${decision.rule}: ${decision.reason}`).toBe(
            false,
          );
          expect(rules, `${JSON.stringify(command)} → ${decision.reason}`).toContain(decision.rule);
        });
      }
    });
  }

  it("still allows the harmless neighbours of each class", async () => {
    await withTempDir(async (dir) => {
      const s = scene(dir);
      for (const command of [
        "echo x > *.txt",
        "ls > src/*.log",
        "for f in a b; do git status; done",
        "FORCE_COLOR=1 NODE_ENV=test npm test",
        "git --no-pager -C . diff",
        "npm --silent test",
        "npm --global test",
        'echo "$x"',
        "cat < a.txt",
        "echo x > lnk2",
        "cd -- src && echo x > f",
        "/bin/./ls",
        "/usr/bin/./ls -la",
        "/bin/.//ls src",
        "read x <<< 1",
      ]) {
        const decision = await decide(policy, command, { cwd: s.work });
        expect(decision.allowed, `${command} → ${decision.rule}: ${decision.reason}`).toBe(true);
      }
      // `..` in a program path is kept as written: through a symlink it can lead anywhere.
      expect((await decide(policy, "/bin/../tmp/ls", { cwd: s.work })).allowed).toBe(false);
    });
  });
});

describe("limits fail closed with the documented reason", () => {
  it("gives too-complex for deep nesting and decides long comment-heavy input", async () => {
    const deep = `${"( ".repeat(5000)}ls${" )".repeat(5000)}`;
    expect((await decide(policy, deep)).rule).toBe("too-complex");
    expect((await decide(policy, `${"$(".repeat(5000)}ls${")".repeat(5000)}`)).rule).toBe("too-complex");
    // 100 KB of comments: the comment check is linear (timings are in bench/, not here).
    expect((await decide(policy, "ls #\n".repeat(19_999))).allowed).toBe(true);
    expect((await decide(policy, `ls ${"# ".repeat(49_000)}`)).allowed).toBe(true);
    expect((await decide(policy, `${"ls #\n".repeat(10_000)}rm x`)).allowed).toBe(false);
  });

  it("stops a synchronous check at its time limit (what the hook's --timeout relies on)", () => {
    expect(() =>
      runWithin(50, () => {
        for (;;);
      }),
    ).toThrow(CheckTimeoutError);
    expect(runWithin(1_000, () => 42)).toBe(42);
  });

  it("runs deny_patterns on a linear-time engine and refuses patterns it cannot run", async () => {
    const p = parsePolicy({ deny_patterns: ["^(a+)+$"], allow: [{ program: "*" }] }, "regex policy");
    expect((await decide(p, "a".repeat(34))).rule).toBe("deny_patterns[0]");
    expect((await decide(p, `${"a".repeat(5000)}b`)).allowed).toBe(true); // catastrophic for a backtracker
    expect(() => parsePolicy({ deny_patterns: ["(?=x)a", "(a)\\1"] }, "bad.yaml")).toThrow(
      /deny_patterns\[0\]: not a valid regular expression: .*linear-time.*deny_patterns\[1\]/s,
    );
  });
});
