/**
 * action.yml's `sandbox-tools` step, its own script run by bash as the runner runs it (`bash -e -o
 * pipefail`), on a PATH that holds only stand-ins: `sudo`, `apt-get` that records what it was asked, and
 * `bwrap`/`socat` where a case has them. A test cannot install packages on the machine, so the stand-ins
 * say what the step would have done on a runner.
 */
import { spawnSync } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { withTempDir } from "../helpers/temp.js";

interface Step {
  id?: string;
  run?: string;
}

const action = parse(await readFile(resolve("action.yml"), "utf8")) as { runs: { steps: Step[] } };
const script = action.runs.steps.find((s) => s.id === "sandbox-tools")?.run;

interface Machine {
  has?: string[];
  sudo?: boolean;
  aptGet?: boolean;
  /** apt-get install fails until apt-get update ran (a runner whose package lists are stale). */
  staleLists?: boolean;
}

async function runStep(dir: string, machine: Machine) {
  const bin = join(dir, "bin");
  const log = join(dir, "apt.log");
  await mkdir(bin, { recursive: true });
  await writeFile(log, "");
  const tool = async (name: string, body: string) => {
    await writeFile(join(bin, name), `#!/bin/sh\n${body}\n`);
    await chmod(join(bin, name), 0o755);
  };
  // `sudo -n true` probes for password-less sudo: the PATH has no coreutils, so `true` is a stand-in too.
  for (const name of [...(machine.has ?? []), "true"]) await tool(name, "exit 0");
  if (machine.sudo !== false) await tool("sudo", '[ "$1" = "-n" ] && shift\nexec "$@"');
  if (machine.aptGet !== false) {
    const stale = join(dir, "stale");
    if (machine.staleLists) await writeFile(stale, "");
    await tool(
      "apt-get",
      [
        `echo "$*" >> "${log}"`,
        `if [ "$1" = update ]; then /bin/rm -f "${stale}"; exit 0; fi`,
        `if [ -e "${stale}" ]; then exit 100; fi`,
      ].join("\n"),
    );
  }
  const result = spawnSync("/bin/bash", ["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script!], {
    env: { PATH: bin },
    encoding: "utf8",
  });
  const apt = (await readFile(log, "utf8")).trim().split("\n").filter(Boolean);
  return { status: result.status, stdout: result.stdout, apt };
}

describe("action.yml's sandbox-tools step", () => {
  it("is in action.yml", () => {
    expect(script).toBeTypeOf("string");
  });

  it("installs bubblewrap and socat when both are missing", () =>
    withTempDir(async (dir) => {
      const { status, stdout, apt } = await runStep(dir, {});
      expect(status).toBe(0);
      expect(stdout).toContain("installing bubblewrap socat");
      expect(apt).toEqual(["install -y -qq --no-install-recommends bubblewrap socat"]);
    }));

  it("installs only what is missing, and nothing when both are there", () =>
    withTempDir(async (dir) => {
      expect((await runStep(join(dir, "a"), { has: ["bwrap"] })).apt).toEqual([
        "install -y -qq --no-install-recommends socat",
      ]);
      const both = await runStep(join(dir, "b"), { has: ["bwrap", "socat"] });
      expect(both).toMatchObject({ status: 0, apt: [], stdout: "" });
    }));

  it("updates stale package lists once and retries the install", () =>
    withTempDir(async (dir) => {
      const { status, apt } = await runStep(dir, { staleLists: true });
      expect(status).toBe(0);
      expect(apt).toEqual([
        "install -y -qq --no-install-recommends bubblewrap socat",
        "update -qq",
        "install -y -qq --no-install-recommends bubblewrap socat",
      ]);
    }));

  it("only warns, and never fails the job, without sudo or apt-get", () =>
    withTempDir(async (dir) => {
      for (const [name, machine] of [
        ["no-sudo", { sudo: false }],
        ["no-apt", { aptGet: false }],
      ] as const) {
        const { status, stdout, apt } = await runStep(join(dir, name), machine);
        expect(status).toBe(0);
        expect(stdout).toContain("::warning::the sandbox needs bubblewrap socat");
        expect(apt).toEqual([]);
      }
    }));

  it("warns when the install fails even after an update, and lets the job go on", () =>
    withTempDir(async (dir) => {
      const bin = join(dir, "bin");
      await mkdir(bin, { recursive: true });
      await writeFile(join(bin, "apt-get"), "#!/bin/sh\nexit 100\n");
      await chmod(join(bin, "apt-get"), 0o755);
      await writeFile(join(bin, "sudo"), '#!/bin/sh\n[ "$1" = "-n" ] && shift\nexec "$@"\n');
      await writeFile(join(bin, "true"), "#!/bin/sh\nexit 0\n");
      await chmod(join(bin, "sudo"), 0o755);
      await chmod(join(bin, "true"), 0o755);
      const result = spawnSync(
        "/bin/bash",
        ["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script!],
        {
          env: { PATH: bin },
          encoding: "utf8",
        },
      );
      expect(result.status).toBe(0);
      expect(result.stdout).toContain("::warning::could not install bubblewrap socat");
    }));
});
