import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { matchRunbook, resolveRunbooksConfig, runbookFor } from "../../src/llm-tasks/runbooks.js";
import { withTempDir } from "../helpers/temp.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

async function project(dir: string, config: string, path = "runbooks/index.yaml"): Promise<void> {
  await mkdir(join(dir, path, ".."), { recursive: true });
  await writeFile(join(dir, path), config);
}

describe("runbooks", () => {
  const index = {
    default: "d.md",
    tasks: { "a.b": "exact.md" },
    prefixes: { "a.": "short.md", "a.b": "long.md" },
  };

  it("maps exact name, then the longest prefix, then the default", () => {
    expect(matchRunbook(index, "a.b")).toEqual({ rule: '$.tasks["a.b"]', path: "exact.md" });
    expect(matchRunbook(index, "a.bc")).toEqual({ rule: '$.prefixes["a.b"]', path: "long.md" });
    expect(matchRunbook(index, "a.x")).toEqual({ rule: '$.prefixes["a."]', path: "short.md" });
    expect(matchRunbook(index, "zzz")).toEqual({ rule: "$.default", path: "d.md" });
    expect(matchRunbook({ tasks: {}, prefixes: {} }, "zzz")).toBeUndefined();
  });

  it("finds runbooks/index.yaml, then configs/agent_runbooks.yaml, then the shipped runbooks", async () => {
    await withTempDir(async (dir) => {
      expect(resolveRunbooksConfig({}, dir)).toBe(join(REPO, "runbooks/index.yaml"));
      expect(await runbookFor("release_notes.x", {}, dir)).toBe(join(REPO, "runbooks/release-notes.md"));
      expect(await runbookFor("anything", {}, dir)).toBe(join(REPO, "runbooks/answer-llm-task.md"));
      await project(dir, "default: legacy.md\n", "configs/agent_runbooks.yaml");
      await writeFile(join(dir, "configs/legacy.md"), "# legacy");
      expect(await runbookFor("x", {}, dir)).toBe(join(dir, "configs/legacy.md"));
      await project(dir, "tasks:\n  x: x.md\n");
      await writeFile(join(dir, "runbooks/x.md"), "# x");
      expect(await runbookFor("x", {}, dir)).toBe(join(dir, "runbooks/x.md"));
      expect(await runbookFor("y", {}, dir)).toBeNull();
    });
  });

  it("uses LLM_AGENT_RUNBOOKS_CONFIG, which must exist", async () => {
    await withTempDir(async (dir) => {
      await project(dir, "default: my.md\n", "ops/map.yaml");
      await writeFile(join(dir, "ops/my.md"), "# mine");
      expect(await runbookFor("x", { LLM_AGENT_RUNBOOKS_CONFIG: "ops/map.yaml" }, dir)).toBe(
        join(dir, "ops/my.md"),
      );
      await expect(runbookFor("x", { LLM_AGENT_RUNBOOKS_CONFIG: "nope.yaml" }, dir)).rejects.toThrow(
        /LLM_AGENT_RUNBOOKS_CONFIG: .*nope\.yaml does not exist/,
      );
    });
  });

  it("reports a bad config with its file, line or JSON path", async () => {
    await withTempDir(async (dir) => {
      await project(dir, "tasks: [unclosed\n");
      await expect(runbookFor("x", {}, dir)).rejects.toThrow(
        /index\.yaml: malformed YAML at line \d+, column \d+/,
      );
      await project(dir, "defualt: x.md\n");
      await expect(runbookFor("x", {}, dir)).rejects.toThrow(/index\.yaml: \$: Unrecognized key: "defualt"/);
      await project(dir, "prefixes:\n  x: missing.md\n");
      await expect(runbookFor("xy", {}, dir)).rejects.toThrow(
        /index\.yaml: \$\.prefixes\["x"\]: runbook .*missing\.md does not exist/,
      );
    });
  });
});
