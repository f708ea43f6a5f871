import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalize } from "../../src/llm-tasks/jcs.js";

describe("canonicalize (RFC 8785)", () => {
  it("matches the RFC's own example (section 3.2.2)", () => {
    // Input and expected output are the RFC's; the numbers exercise ECMAScript number formatting.
    const input = JSON.parse(
      String.raw`{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}`,
    ) as unknown;
    expect(canonicalize(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it("sorts keys by UTF-16 code units, as the RFC's sorting example", () => {
    const input = JSON.parse(
      String.raw`{"\u20ac":1,"\r":2,"\ufb33":3,"1":4,"\ud83d\ude00":5,"\u0080":6,"\u00f6":7}`,
    ) as Record<string, number>;
    // 😀 (U+1F600) is the surrogate pair D83D DE00, which sorts before U+FB33 in UTF-16 order.
    // (Compared as text: Object.keys would list the integer-like key "1" first whatever the order.)
    expect(canonicalize(input)).toBe(
      '{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\ud83d\ude00":5,"\ufb33":3}',
    );
  });

  it("writes numbers the ECMAScript way", () => {
    expect(canonicalize([1.0, -0, 1e21, 1e20, 1e-7, 0.000001, 5e-324, 123.456])).toBe(
      "[1,0,1e+21,100000000000000000000,1e-7,0.000001,5e-324,123.456]",
    );
  });

  it("leaves out undefined members, like JSON", () => {
    expect(canonicalize({ b: 1, a: undefined })).toBe('{"b":1}');
  });

  it.each([
    ["NaN", Number.NaN, /cannot be canonicalised/],
    ["Infinity", { a: [Infinity] }, /\$\.a\[0\]: Infinity/],
    ["a lone surrogate", { s: "\ud800x" }, /lone UTF-16 surrogate/],
    ["a function", { f: () => 1 }, /function cannot be canonicalised/],
    ["undefined in an array", [undefined], /undefined cannot be canonicalised/],
    ["a bigint", 1n, /bigint/],
    ["a Date", new Date(0), /plain objects/],
  ])("refuses %s", (_name, value, message) => {
    expect(() => canonicalize(value)).toThrow(message);
  });

  it("is stable under a JSON round trip, for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalize(value);
        expect(canonicalize(JSON.parse(text))).toBe(text);
      }),
    );
  });
});
