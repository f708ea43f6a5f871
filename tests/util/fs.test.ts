import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/util/fs.js";
import { withTempDir } from "../helpers/temp.js";

describe("writeFileAtomic", () => {
  it("replaces the content and leaves no temp file behind", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "a.json");
      await writeFile(file, "old");
      await writeFileAtomic(file, '{"new":true}');
      expect(await readFile(file, "utf8")).toBe('{"new":true}');
      expect(await readdir(dir)).toEqual(["a.json"]);
    });
  });

  it("leaves the old file intact when the folder does not exist", async () => {
    await withTempDir(async (dir) => {
      await expect(writeFileAtomic(join(dir, "missing", "a.json"), "x")).rejects.toThrow(/ENOENT/);
      expect(await readdir(dir)).toEqual([]);
    });
  });
});
