import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, runCli } from "../helpers/cli.js";
import { withTempDir } from "../helpers/temp.js";

const PLAYBOOK = `name: demo
steps:
  - name: greet
    command: echo "hello $WHO"
    env: { WHO: world }
  - name: lint
    command: echo linted > lint.txt
    condition: lint_enabled == true
  - name: test
    command: ["sh", "-c", "exit \${TEST_EXIT:-0}"]
    pass_env: [TEST_EXIT]
`;

describe("handoff playbook run", () => {
  it("runs in --cwd, honours --var and exits 0", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "pb.yaml"), PLAYBOOK);
      const result = await runCli([
        "playbook",
        "run",
        join(dir, "pb.yaml"),
        "--cwd",
        dir,
        "--var",
        "lint_enabled=true",
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/✓ passed +greet · exit 0, 1 attempt/);
      expect(result.stdout).toMatch(
        /playbook "demo": ok \(3 passed, 0 failed, 0 denied, 0 skipped, 0 stopped\)/,
      );
      expect(await readFile(join(dir, "lint.txt"), "utf8")).toBe("linted\n");
    });
  });

  it("exits 1 on a failing step and prints its output tail; --json gives the result", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "pb.yaml"), PLAYBOOK);
      const result = await runCli(["playbook", "run", "pb.yaml", "--json"], {
        cwd: dir,
        env: { TEST_EXIT: "5" },
      });
      expect(result.code).toBe(1);
      const parsed = JSON.parse(result.stdout) as {
        ok: boolean;
        playbook: string;
        steps: { name: string; status: string; exitCode: number | null; outputTail: string }[];
      };
      expect(parsed.ok).toBe(false);
      expect(parsed.playbook).toBe("demo");
      expect(parsed.steps.map((s) => [s.name, s.status, s.exitCode])).toEqual([
        ["greet", "passed", 0],
        ["lint", "skipped", null],
        ["test", "failed", 5],
      ]);
      expect(parsed.steps[0]?.outputTail).toBe("hello world");
    });
  });

  it("checks commands against --policy: denied steps do not run and the exit code is 1", async () => {
    await withTempDir(async (dir) => {
      await writeFile(
        join(dir, "pb.yaml"),
        "name: p\nsteps:\n  - name: ok\n    command: ls\n  - name: bad\n    command: rm -rf src\n",
      );
      await writeFile(join(dir, "policy.yaml"), "default_action: deny\nallow:\n  - program: ls\n");
      await writeFile(join(dir, "src"), "keep");
      const result = await runCli(["playbook", "run", "pb.yaml", "--policy", "policy.yaml"], { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/✓ passed +ok/);
      expect(result.stdout).toMatch(/⛔ denied +bad · denied by /);
      expect(await readFile(join(dir, "src"), "utf8")).toBe("keep");
    });
  });

  it("exits 2 for a bad playbook, a bad policy file or a bad --var", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "pb.yaml"), PLAYBOOK);
      await writeFile(
        join(dir, "bad.yaml"),
        "name: x\nsteps:\n  - name: a\n    command: ls\n    working_directory: ../up\n",
      );
      await writeFile(join(dir, "policy.yaml"), "default_action: maybe\n");
      const bad = await runCli(["playbook", "run", "bad.yaml"], { cwd: dir });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/bad\.yaml: \$\.steps\[0\]\.working_directory: must be a relative path/);
      const policy = await runCli(["playbook", "run", "pb.yaml", "--policy", "policy.yaml"], { cwd: dir });
      expect(policy.code).toBe(2);
      expect(policy.stderr).toMatch(/policy\.yaml/);
      const badVar = await runCli(["playbook", "run", "pb.yaml", "--var", "novalue"], { cwd: dir });
      expect(badVar.code).toBe(2);
      expect(badVar.stderr).toMatch(/expected name=value, got "novalue"/);
    });
  });
});

describe("handoff playbook validate", () => {
  it("exits 0 for the shipped playbooks and 1 with every problem for a bad one", async () => {
    for (const name of ["node", "python", "make"]) {
      const result = await runCli(["playbook", "validate", `playbooks/${name}.yaml`]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
    }
    await withTempDir(async (dir) => {
      const file = join(dir, "bad.yaml");
      await writeFile(
        file,
        "name: x\nsteps:\n  - name: a\n    command: ''\n    condition: 'a &&'\n  - name: a\n    command: ls\n",
      );
      const result = await runCli(["playbook", "validate", file]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`invalid  ${file} (3 problems)`);
      expect(result.stdout).toContain(`${file}: $.steps[0].command:`);
      expect(result.stdout).toContain(
        `${file}: $.steps[0].condition: condition "a &&": unexpected character '&' at column 3`,
      );
      expect(result.stdout).toContain(`${file}: $.steps[1].name: duplicate step name "a"`);
      await writeFile(file, "name: [\n");
      const malformed = await runCli(["playbook", "validate", file, "--json"]);
      expect(malformed.code).toBe(1);
      expect((JSON.parse(malformed.stdout) as { problems: string[] }).problems[0]).toMatch(
        /malformed YAML at line/,
      );
    });
  });
});

describe("shipped playbooks", () => {
  it("make.yaml runs make test in a real project and skips the optional targets", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "Makefile"), "test:\n\t@echo tests-ran > result.txt\n");
      const result = await runCli(["playbook", "run", join(process.cwd(), "playbooks/make.yaml"), "--json"], {
        cwd: dir,
      });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const parsed = JSON.parse(result.stdout) as { steps: { name: string; status: string }[] };
      expect(parsed.steps.map((s) => s.status)).toEqual(["skipped", "skipped", "passed"]);
      expect(await readFile(join(dir, "result.txt"), "utf8")).toBe("tests-ran\n");
    });
  });

  it("node.yaml runs npm ci and npm test in a real dependency-free project", async () => {
    await withTempDir(async (dir) => {
      const pkg = {
        name: "demo",
        version: "1.0.0",
        scripts: { test: "node -e \"require('fs').writeFileSync('ran','ok')\"" },
      };
      await writeFile(join(dir, "package.json"), JSON.stringify(pkg));
      const lock = {
        name: "demo",
        version: "1.0.0",
        lockfileVersion: 3,
        requires: true,
        packages: { "": { name: "demo", version: "1.0.0" } },
      };
      await writeFile(join(dir, "package-lock.json"), JSON.stringify(lock));
      const result = await runCli(["playbook", "run", join(process.cwd(), "playbooks/node.yaml"), "--json"], {
        cwd: dir,
      });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(await readFile(join(dir, "ran"), "utf8")).toBe("ok");
    });
  });
});

describe("handoff playbook run redaction", () => {
  it("masks --secret-env values and known token shapes in the output tails", async () => {
    await withTempDir(async (dir) => {
      const secret = "hunter2-very-secret-value";
      const token = `ghp_${"a1B2c3D4e5".repeat(4)}`;
      await writeFile(
        join(dir, "pb.yaml"),
        `name: leak\nsteps:\n  - name: print\n    command: echo "pw=$MY_SECRET tok=${token}"; exit 1\n`,
      );
      const result = await runCli(["playbook", "run", "pb.yaml", "--secret-env", "MY_SECRET", "--json"], {
        cwd: dir,
        env: { MY_SECRET: secret },
      });
      expect(result.code).toBe(1);
      const tail =
        (JSON.parse(result.stdout) as { steps: { outputTail: string }[] }).steps[0]?.outputTail ?? "";
      expect(tail).toContain("pw=");
      expect(tail).not.toContain(secret);
      expect(tail).not.toContain(token);
      expect(result.stdout).not.toContain(secret);
    });
  });
});

const hasScript = spawnSync("script", ["--version"]).status === 0;

describe.skipIf(!hasScript)("handoff playbook run on a terminal", () => {
  it("prints a progress line as each step starts and ends, and each step once", async () => {
    await withTempDir(async (dir) => {
      await writeFile(
        join(dir, "pb.yaml"),
        "name: tty\nsteps:\n  - name: first\n    command: echo one\n  - name: second\n    command: echo two; exit 4\n",
      );
      // util-linux `script` gives the CLI a real pseudo-terminal for stdout and stderr.
      const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} playbook run pb.yaml`;
      const out = spawnSync("script", ["-qec", command, "/dev/null"], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, CI: "" },
      });
      const text = out.stdout.replace(/\r/g, "");
      expect(out.status).toBe(1);
      expect(text).toContain("▶ first\n");
      expect(text).toMatch(/✓ passed +first · exit 0/);
      expect(text).toContain("▶ second\n");
      expect(text.match(/✗ failed +second · exit 4/g)).toHaveLength(1);
      expect(text).toContain("output of second:\n    two");
    });
  });
});
