// JSON Schema patterns a user wrote run on RE2: a catastrophic pattern cannot hang a validation, and a
// pattern RE2 cannot run is refused when the schema compiles, with a message that says why.
import { describe, expect, it } from "vitest";
import { jsonSchemaProblem } from "../../src/agents/json-schema.js";
import { newAjv } from "../../src/util/json-schema.js";

describe("user JSON Schemas run their patterns on a linear-time engine", () => {
  it("validates ^(a+)+$ against a long non-matching string without backtracking", () => {
    for (const draft of ["2020-12", "draft-07"] as const) {
      const validate = newAjv(draft).compile({ type: "string", pattern: "^(a+)+$" });
      expect(validate("a".repeat(34))).toBe(true);
      // A backtracking engine needs about 2^40 steps here; RE2 answers at once.
      expect(validate(`${"a".repeat(40)}b`)).toBe(false);
      const props = newAjv(draft).compile({
        type: "object",
        patternProperties: { "^(x+)+$": { type: "number" } },
      });
      expect(props({ [`${"x".repeat(40)}y`]: "not checked" })).toBe(true);
      expect(props({ xxx: "wrong" })).toBe(false);
    }
  });

  it("refuses patterns RE2 cannot run, naming why", () => {
    expect(jsonSchemaProblem({ type: "string", pattern: "(?=a)a" })).toMatch(/linear-time/);
    expect(jsonSchemaProblem({ type: "string", pattern: "^\\d{3}$" })).toBeUndefined();
  });
});
