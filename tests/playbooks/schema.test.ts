import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { loadPlaybook } from "../../src/playbooks/load.js";
import { parsePlaybook } from "../../src/playbooks/schema.js";
import { jsonSchemaOf } from "../../src/schemas.js";
import { withTempDir } from "../helpers/temp.js";

function problemsOf(data: unknown): string[] {
  try {
    parsePlaybook(data, "pb.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error("expected the playbook to be invalid");
}

describe("playbook schema", () => {
  it("fills defaults: timeout 1800 s, no retries, fail_fast true, backoff base 1 s", () => {
    const pb = parsePlaybook({ name: "x", steps: [{ name: "t", command: "npm test" }] }, "pb.yaml");
    expect(pb.retry_base_seconds).toBe(1);
    expect(pb.steps[0]).toEqual({
      name: "t",
      command: "npm test",
      timeout_seconds: 1800,
      retry_count: 0,
      fail_fast: true,
      network: false,
    });
  });

  it("reports every problem at once with the file and JSON path", () => {
    const problems = problemsOf({
      name: "",
      steps: [
        { name: "a", command: "", timeout_seconds: 0 },
        { name: "b", command: ["", "x"], retry_count: -1, condition: "a && b" },
        { name: "a", command: "true", working_directory: "../up", env: { "BAD-NAME": "1" }, extra: 1 },
        { name: "d", command: "true", working_directory: "/etc", fail_fast: "no" },
      ],
    });
    const expected = [
      /^pb\.yaml: \$\.name: /,
      /^pb\.yaml: \$\.steps\[0\]\.command: /,
      /^pb\.yaml: \$\.steps\[0\]\.timeout_seconds: /,
      /^pb\.yaml: \$\.steps\[1\]\.command: /,
      /^pb\.yaml: \$\.steps\[1\]\.retry_count: /,
      /^pb\.yaml: \$\.steps\[1\]\.condition: condition "a && b": unexpected character '&' at column 3 \(use 'and'\)/,
      /^pb\.yaml: \$\.steps\[2\]\.working_directory: must be a relative path inside the working directory/,
      /^pb\.yaml: \$\.steps\[2\]\.env\["BAD-NAME"\]: /,
      /^pb\.yaml: \$\.steps\[2\]: Unrecognized key: "extra"/,
      /^pb\.yaml: \$\.steps\[3\]\.working_directory: must be a relative path/,
      /^pb\.yaml: \$\.steps\[3\]\.fail_fast: /,
      /^pb\.yaml: \$\.steps\[2\]\.name: duplicate step name "a" \(also \$\.steps\[0\]\)/,
    ];
    for (const pattern of expected)
      expect(
        problems.some((p) => pattern.test(p)),
        String(pattern),
      ).toBe(true);
    expect(problems).toHaveLength(expected.length);
  });

  it("requires at least one step and a name", () => {
    expect(problemsOf({ steps: [] })).toEqual([
      "pb.yaml: $.name: Invalid input: expected string, received undefined",
      "pb.yaml: $.steps: Too small: expected array to have >=1 items",
    ]);
  });

  it("rejects retry_count above 10", () => {
    expect(problemsOf({ name: "x", steps: [{ name: "a", command: "x", retry_count: 11 }] })[0]).toMatch(
      /^pb\.yaml: \$\.steps\[0\]\.retry_count: Too big/,
    );
  });

  it("generates a JSON Schema from the zod schema", async () => {
    const schema = (await jsonSchemaOf("playbook")) as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["name", "steps", "env", "retry_base_seconds"]),
    );
    expect(schema.required).toEqual(expect.arrayContaining(["name", "steps"]));
  });
});

describe("loadPlaybook", () => {
  it("loads YAML and names the file, line and column of a syntax error", async () => {
    await withTempDir(async (dir) => {
      const good = join(dir, "good.yaml");
      await writeFile(good, "name: ok\nsteps:\n  - name: test\n    command: npm test\n    retry_count: 2\n");
      expect((await loadPlaybook(good)).steps[0]).toMatchObject({ command: "npm test", retry_count: 2 });

      const bad = join(dir, "bad.yaml");
      await writeFile(bad, "name: ok\nsteps:\n  - name: [unclosed\n");
      await expect(loadPlaybook(bad)).rejects.toThrow(/bad\.yaml: malformed YAML at line \d+, column \d+/);

      const invalid = join(dir, "invalid.yaml");
      await writeFile(invalid, "name: ok\nsteps:\n  - name: x\n    command: true\n    condition: 'a =='\n");
      await expect(loadPlaybook(invalid)).rejects.toThrow(
        /invalid\.yaml: \$\.steps\[0\]\.command: .*\n.*invalid\.yaml: \$\.steps\[0\]\.condition: condition "a =="/,
      );
      await expect(loadPlaybook(join(dir, "missing.yaml"))).rejects.toThrow(
        /missing\.yaml: cannot read \(ENOENT\)/,
      );
    });
  });
});

describe("playbook limits", () => {
  it("caps timeout_seconds at 7 days (timers overflow beyond ~24.8 days)", () => {
    expect(problemsOf({ name: "x", steps: [{ name: "a", command: "x", timeout_seconds: 3e6 }] })).toEqual([
      "pb.yaml: $.steps[0].timeout_seconds: must be at most 604800 (7 days)",
    ]);
  });
});
