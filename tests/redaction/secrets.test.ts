import { describe, expect, it } from "vitest";
import { MIN_SECRET_LENGTH, Redactor, redactorFromEnv } from "../../src/redaction/index.js";
import { chunksOf, throughStream } from "./helpers.js";

const SECRET = 'pa$$w0rd/with "quotes" & spaces+ü';

describe("registered secrets", () => {
  const r = new Redactor({ secrets: [SECRET] });

  it("masks the plain value", () => {
    expect(r.redact(`login with ${SECRET} now`)).toBe("login with *** now");
  });

  it("masks the JSON-escaped value (also with \\u escapes)", () => {
    const json = JSON.stringify({ password: SECRET });
    expect(r.redact(json)).toBe('{"password":"***"}');
    const ascii = json.replace(/ü/g, "\\u00fc");
    expect(r.redact(ascii)).toBe('{"password":"***"}');
  });

  it("masks URL-encoded forms (component, lower-case hex, form +)", () => {
    const enc = encodeURIComponent(SECRET);
    expect(r.redact(`?p=${enc}&x=1`)).toBe("?p=***&x=1");
    expect(r.redact(`?p=${enc.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())}`)).toBe("?p=***");
    expect(r.redact(`p=${new URLSearchParams({ p: SECRET }).toString().slice(2)}`)).toBe("p=***");
  });

  it("masks base64 of the value, alone and inside a longer encoded string at every alignment", () => {
    expect(r.redact(Buffer.from(SECRET).toString("base64"))).toBe("***");
    expect(r.redact(Buffer.from(SECRET).toString("base64url"))).toBe("***");
    for (const prefix of ["", "u:", "us:", "use:"]) {
      const encoded = Buffer.from(`${prefix}${SECRET}@host`).toString("base64");
      const out = r.redact(`Basic ${encoded}`);
      expect(out).toContain("***");
      // At most the two boundary characters on each side, which mix in neighbouring bytes, survive.
      expect(out.replace(/^Basic /, "").replace("***", "").length).toBeLessThanOrEqual(
        encoded.length - (Math.floor((Buffer.byteLength(SECRET) * 4) / 3) - 3),
      );
    }
  });

  it("masks each line of a multi-line secret and the whole of it", () => {
    const multi = "line-one-secret\r\nline-two-secret";
    const m = new Redactor({ secrets: [multi] });
    expect(m.redact(`a ${multi} b`)).toBe("a *** b");
    expect(m.redact("x line-two-secret y")).toBe("x *** y");
  });

  it(`ignores secrets shorter than ${MIN_SECRET_LENGTH} characters and star-only values`, () => {
    const m = new Redactor({ secrets: ["ab", "abc", "****", ""] });
    expect(m.secretCount).toBe(1);
    expect(m.redact("abc ab **** ")).toBe("abc ab **** ");
    m.addSecret("abcd");
    expect(m.redact("abcd abc")).toBe("*** abc");
  });

  it("merges overlapping secrets into one mask", () => {
    const m = new Redactor({ secrets: ["aaab", "abbb"] });
    expect(m.redact("x aaabbb y")).toBe("x *** y");
    expect(new Redactor({ secrets: ["aaaa"] }).redact("aaaaaaaaaa.")).toBe("***.");
  });

  it("redactValue masks strings deep inside objects and keeps other values", () => {
    const value = { a: [SECRET, 3, null, { [SECRET]: true }], b: "ok" };
    expect(r.redactValue(value)).toEqual({ a: ["***", 3, null, { "***": true }], b: "ok" });
    const when = new Date(0);
    expect(r.redactValue({ when }).when).toBe(when);
  });
});

describe("redactorFromEnv", () => {
  it("registers the values of the named variables and lists missing ones", () => {
    const env = { TOKEN_A: "value-of-token-a", EMPTY: "" };
    const r = redactorFromEnv(["TOKEN_A", "EMPTY", "UNSET"], env);
    expect(r.missing).toEqual(["EMPTY", "UNSET"]);
    expect(r.redact("value-of-token-a!")).toBe("***!");
  });
});

describe("stream()", () => {
  const r = new Redactor({ secrets: [SECRET, "second-secret-value"] });

  it("masks a secret split across two chunks", async () => {
    const text = `before ${SECRET} after`;
    const cut = text.indexOf(SECRET) + 5;
    expect(await throughStream(r, [text.slice(0, cut), text.slice(cut)])).toBe("before *** after");
  });

  it("masks secrets and token shapes fed one byte at a time", async () => {
    const token = `ghp_${"Z9".repeat(18)}`;
    const text = `a ${SECRET} b second-secret-value c ${token} d https://u:pw123@h e`;
    const bytes = [...Buffer.from(text)].map((b) => Buffer.from([b]));
    expect(await throughStream(r, bytes)).toBe(r.redact(text));
    expect(r.redact(text)).toBe("a *** b *** c *** d https://u:***@h e");
  });

  it("masks a PEM block split across many chunks", async () => {
    const body = Array.from({ length: 30 }, (_, i) => `${"Q".repeat(60)}${String(i).padStart(4, "0")}`).join(
      "\n",
    );
    const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----`;
    const text = `log line\n${pem}\nafter`;
    for (const size of [1, 7, 64, 1000]) {
      expect(await throughStream(r, chunksOf(text, size))).toBe("log line\n***\nafter");
    }
  });

  it("keeps a multi-byte character split between chunks whole", async () => {
    const bytes = Buffer.from("héllo ü second-secret-value €");
    const parts = [bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9, 30), bytes.subarray(30)];
    expect(await throughStream(r, parts)).toBe("héllo ü *** €");
  });

  it("masks a very long token that spans many chunks as one mask", async () => {
    const token = `ghs_${"a1B2.".repeat(4000)}`;
    const text = `t=${token} end`;
    expect(await throughStream(r, chunksOf(text, 1000))).toBe("t=*** end");
    expect(r.redact(text)).toBe("t=*** end");
  });

  it("picks up a secret added while the stream runs", async () => {
    const m = new Redactor();
    const stream = m.stream();
    const out: string[] = [];
    stream.on("data", (d: Buffer) => out.push(d.toString()));
    stream.write("first late-secret-1\n");
    await new Promise((resolve) => setImmediate(resolve));
    m.addSecret("late-secret-2");
    stream.end("then late-secret-2\n");
    await new Promise((resolve) => stream.on("end", resolve));
    expect(out.join("")).toBe("first late-secret-1\nthen ***\n");
  });

  it("counts masks by kind", async () => {
    const stream = r.stream();
    stream.resume();
    stream.end(`${SECRET} AKIA${"B".repeat(16)} ${SECRET}`);
    await new Promise((resolve) => stream.on("end", resolve));
    expect(Object.fromEntries(stream.counts)).toEqual({ secret: 2, "aws-access-key-id": 1 });
  });
});
