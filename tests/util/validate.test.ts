import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError } from "../../src/errors.js";
import { jsonPath, parseWith, readJsonFile, readYamlFile } from "../../src/util/validate.js";
import { withTempDir } from "../helpers/temp.js";

const Schema = z.object({ name: z.string(), steps: z.array(z.object({ command: z.string() })) });

describe("validate", () => {
  it("renders JSON paths", () => {
    expect(jsonPath(["steps", 2, "command"])).toBe("$.steps[2].command");
    expect(jsonPath(["a-b"])).toBe('$["a-b"]');
  });

  it("lists every problem with its JSON path and the source", () => {
    const error = (() => {
      try {
        parseWith(Schema, { steps: [{ command: 1 }] }, "playbook.yaml");
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error("expected a ConfigError");
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.exitCode).toBe(2);
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain("playbook.yaml: 2 problems");
    expect(error.message).toContain("$.name");
    expect(error.message).toContain("$.steps[0].command");
  });

  it("names the file and position of malformed JSON and YAML", async () => {
    await withTempDir(async (dir) => {
      const json = join(dir, "bad.json");
      const yaml = join(dir, "bad.yaml");
      await writeFile(json, '{"name": ');
      await writeFile(yaml, "name: a\nsteps: [\n");
      await expect(readJsonFile(json, Schema)).rejects.toThrow(/bad\.json: malformed JSON/);
      await expect(readYamlFile(yaml, Schema)).rejects.toThrow(/bad\.yaml: malformed YAML at line \d+/);
      await expect(readJsonFile(join(dir, "missing.json"), Schema)).rejects.toThrow(/cannot read \(ENOENT\)/);
    });
  });
});
