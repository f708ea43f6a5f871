import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Redactor } from "../../src/redaction/index.js";
import { throughStream } from "./helpers.js";

// Secrets: 4–40 printable characters, not containing "*" (a secret made of the mask's own characters
// could be re-formed by a mask next to ordinary text; see docs/redaction.md).
const secretArb = fc
  .string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+=:@ ü"\\'),
    minLength: 4,
    maxLength: 40,
  })
  .filter((s) => s.trim().length >= 4);
const noiseArb = fc.string({ unit: fc.constantFrom(...'ab xyz01\n:/-_=+"\\@*'), maxLength: 60 });

/** Splits `text` at the given (sorted, deduplicated) cut points. */
function cut(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let last = 0;
  for (const p of points) {
    out.push(text.slice(last, p));
    last = p;
  }
  out.push(text.slice(last));
  return out;
}

describe("redaction properties", () => {
  it("a registered secret never survives redact(), whatever surrounds it", () => {
    fc.assert(
      fc.property(
        fc.array(secretArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(noiseArb, fc.nat()), { minLength: 1, maxLength: 6 }),
        (secrets, parts) => {
          const r = new Redactor({ secrets });
          const text = parts.map(([noise, i]) => noise + secrets[i % secrets.length]!).join("");
          const out = r.redact(text);
          for (const secret of secrets) expect(out).not.toContain(secret.trim());
        },
      ),
      { numRuns: 300 },
    );
  });

  it("stream() gives exactly redact()'s output however the input is chunked", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(secretArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(noiseArb, fc.nat()), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (secrets, parts, cuts) => {
          const r = new Redactor({ secrets });
          const text = parts.map(([noise, i]) => noise + secrets[i % secrets.length]!).join("");
          const streamed = await throughStream(r, cut(text, cuts));
          expect(streamed).toBe(r.redact(text));
          for (const secret of secrets) expect(streamed).not.toContain(secret.trim());
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a stream fed one byte at a time masks every registered secret", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, noiseArb, noiseArb, async (secret, before, after) => {
        const r = new Redactor({ secrets: [secret] });
        const bytes = [...Buffer.from(`${before}${secret}${after}`)].map((b) => Buffer.from([b]));
        const out = await throughStream(r, bytes);
        expect(out).not.toContain(secret.trim());
        expect(out).toBe(r.redact(`${before}${secret}${after}`));
      }),
      { numRuns: 100 },
    );
  });

  it("token shapes are masked the same however the stream is chunked", async () => {
    const gh = `ghp_${"Zq9".repeat(12)}`;
    const ghs = `ghs_${"a.B1".repeat(30)}`;
    const aws = `AKIA${"Q7".repeat(8)}`;
    const pem = `-----BEGIN PRIVATE KEY-----\n${"M".repeat(64)}\n${"N".repeat(20)}\n-----END PRIVATE KEY-----`;
    const samples = [
      { text: gh, secret: gh },
      { text: ghs, secret: ghs },
      { text: ` ${aws} `, secret: aws },
      { text: pem, secret: "M".repeat(64) },
      { text: "https://user:pa55word@host/x", secret: "pa55word" },
      { text: "Authorization: Bearer tok3n-value-abcdef", secret: "tok3n-value-abcdef" },
      { text: `sk-ant-api03-${"k".repeat(30)}`, secret: "k".repeat(30) },
      { text: "https://github.com/o/r and risk-free text", secret: null },
    ];
    const r = new Redactor();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(noiseArb, fc.nat(samples.length - 1)), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (parts, cuts) => {
          const text = parts.map(([noise, i]) => `${noise}\n${samples[i]!.text}\n`).join("");
          const whole = r.redact(text);
          for (const [, i] of parts) if (samples[i]!.secret) expect(whole).not.toContain(samples[i]!.secret);
          expect(await throughStream(r, cut(text, cuts))).toBe(whole);
        },
      ),
      { numRuns: 200 },
    );
  });
});
