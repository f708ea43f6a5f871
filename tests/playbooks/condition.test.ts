import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { evaluateCondition, parseCondition } from "../../src/playbooks/condition.js";

const check = (source: string, vars: Record<string, string> = {}): boolean =>
  evaluateCondition(parseCondition(source), vars);

describe("condition parser", () => {
  it("parses comparisons, bare variables, not, and, or and parentheses", () => {
    expect(parseCondition("a == 1")).toEqual({ kind: "compare", op: "==", name: "a", value: "1" });
    expect(parseCondition("not a")).toEqual({ kind: "not", operand: { kind: "var", name: "a" } });
    expect(parseCondition("a or b and c")).toEqual({
      kind: "or",
      left: { kind: "var", name: "a" },
      right: { kind: "and", left: { kind: "var", name: "b" }, right: { kind: "var", name: "c" } },
    });
    expect(parseCondition("(a or b) and c")).toMatchObject({ kind: "and", left: { kind: "or" } });
    expect(parseCondition(`os != "windows 11"`)).toEqual({
      kind: "compare",
      op: "!=",
      name: "os",
      value: "windows 11",
    });
    expect(parseCondition(`x == 'it\\'s'`)).toMatchObject({ value: "it's" });
  });

  it.each([
    ["", /empty condition/],
    ["   ", /empty condition/],
    ["a ==", /expected a value after '==' at column 3, found the end/],
    [
      "a == and",
      /expected a value after '==' at column 3, found 'and' at column 6 \(quote a keyword used as a value\)/,
    ],
    ["a && b", /unexpected character '&' at column 3 \(use 'and'\)/],
    ["a || b", /unexpected character '\|' at column 3 \(use 'or'\)/],
    ["!a", /unexpected character '!' at column 1 \(use 'not' or '!='\)/],
    ["a = b", /unexpected character '=' at column 3 \(use '==' to compare\)/],
    ["(a or b", /expected '\)' to close the '\(' at column 1, found the end/],
    ["a or b)", /unexpected '\)' at column 7/],
    ["a b", /unexpected 'b' at column 3/],
    ["and a", /expected a variable name, 'not' or '\(', found 'and' at column 1/],
    ["a == 'open", /unterminated string starting at column 6/],
    ["not", /expected a variable name, 'not' or '\(', found the end/],
    ["1abc", /expected a variable name/],
    ["a == b == c", /unexpected '==' at column 8/],
    ["process.exit()", /expected a variable name, 'not' or '\(', found '\)'|unexpected/],
  ])("refuses %j with a clear message", (source, message) => {
    const error = (() => {
      try {
        parseCondition(source);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`condition "${source}"`);
    expect((error as Error).message).toMatch(message);
  });
});

describe("condition evaluation", () => {
  it("compares exact strings; unset variables are empty", () => {
    expect(check("lint_enabled == true", { lint_enabled: "true" })).toBe(true);
    expect(check("lint_enabled == true", { lint_enabled: "yes" })).toBe(false);
    expect(check("lint_enabled == true")).toBe(false);
    expect(check("lint_enabled != true")).toBe(true);
    expect(check("os != windows", { os: "linux" })).toBe(true);
  });

  it("treats empty, false, 0, no and off as false for a bare variable", () => {
    for (const value of ["", "false", "FALSE", "0", "no", "off"])
      expect(check("x", { x: value })).toBe(false);
    for (const value of ["true", "1", "yes", "anything"]) expect(check("x", { x: value })).toBe(true);
    expect(check("x")).toBe(false);
    expect(check("not x")).toBe(true);
    expect(check("not not x", { x: "1" })).toBe(true);
  });

  it("gives and precedence over or, and honours parentheses", () => {
    const vars = { a: "1", b: "0", c: "0" };
    expect(check("a or b and c", vars)).toBe(true);
    expect(check("(a or b) and c", vars)).toBe(false);
    expect(check("not (b or c)", vars)).toBe(true);
    expect(check("ci == true and (node == 20 or node == 24)", { ci: "true", node: "24" })).toBe(true);
    expect(check("ci == true and (node == 20 or node == 24)", { ci: "true", node: "22" })).toBe(false);
  });

  it("does not reach JavaScript globals or prototype properties", () => {
    expect(check("constructor")).toBe(false);
    expect(check("toString == x")).toBe(false);
    expect(check("__proto__")).toBe(false);
  });
});
