import { describe, expect, it } from "vitest";
import { Redactor } from "../../src/redaction/index.js";

// Token-shaped test values are assembled at run time so that secret scanners do not flag this file.
const alnum = (n: number, seed = 7): string => {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += chars[x % chars.length];
  }
  return out;
};

const r = new Redactor();

describe("token shapes", () => {
  const cases: [string, string][] = [
    ["ghp_ personal access token", `ghp_${alnum(36)}`],
    ["gho_ OAuth token", `gho_${alnum(36, 2)}`],
    ["ghu_ user-to-server token", `ghu_${alnum(36, 3)}`],
    ["ghs_ server-to-server token", `ghs_${alnum(36, 4)}`],
    ["ghr_ refresh token", `ghr_${alnum(76, 5)}`],
    ["long ghs_ installation token with dots", `ghs_${alnum(40, 6)}.${alnum(60, 8)}.${alnum(30, 9)}`],
    ["github_pat_ fine-grained token", `github_pat_${alnum(22, 10)}_${alnum(59, 11)}`],
    ["sk-ant- Anthropic key", `sk-ant-api03-${alnum(80, 12)}-${alnum(10, 13)}AA`],
    ["legacy OpenAI sk- key", `sk-${alnum(20, 14)}T3BlbkFJ${alnum(20, 15)}`],
    ["OpenAI sk-proj- key", `sk-proj-${alnum(40, 16)}_${alnum(60, 17)}-${alnum(20, 18)}`],
    ["AWS AKIA access key id", `AKIA${alnum(16, 19).toUpperCase()}`],
    ["AWS ASIA temporary key id", `ASIA${"Q7".repeat(8)}`],
  ];
  for (const [name, token] of cases) {
    it(`masks a ${name} wherever it sits`, () => {
      for (const text of [token, `token=${token}\n`, `"${token}"`, `x ${token}, y`, `export T='${token}';`]) {
        const out = r.redact(text);
        expect(out).not.toContain(token);
        expect(out).toContain("***");
        expect(out.replace("***", token)).toBe(text);
      }
    });
  }

  it("leaves look-alikes alone", () => {
    const text = [
      "ghp_short",
      "risk-free-investment-strategies-for-everyone",
      "disk-usage-report-generated-for-the-cluster",
      "AKIA1234", // too short
      `XAKIA${"A".repeat(16)}`, // glued to a longer word
      "Bearer authentication is described in RFC 6750.",
      "https://github.com/owner/repo and mailto:user@example.com",
      "Basic usage: run the tests",
    ].join("\n");
    expect(r.redact(text)).toBe(text);
  });

  it("masks Authorization header values but keeps the scheme", () => {
    const bearer = alnum(40, 21);
    const basic = Buffer.from("user:pw-" + alnum(8, 22)).toString("base64");
    expect(r.redact(`curl -H 'Authorization: Bearer ${bearer}' x`)).toBe(
      "curl -H 'Authorization: Bearer ***' x",
    );
    expect(r.redact(`authorization: Basic ${basic}`)).toBe("authorization: Basic ***");
    expect(r.redact(`{"Authorization":"token abcd1234efgh"}`)).toBe(`{"Authorization":"token ***"}`);
    expect(r.redact(`HTTP_AUTHORIZATION=opaque-value-1\n`)).toBe("HTTP_AUTHORIZATION=***\n");
    expect(r.redact(`AuThOrIzAtIoN: BeArEr ${bearer}`)).toBe("AuThOrIzAtIoN: BeArEr ***");
  });

  it("masks a bearer token that follows no Authorization header", () => {
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${alnum(43, 23)}`;
    expect(r.redact(`sending bearer ${jwt} now`)).toBe("sending bearer *** now");
  });

  it("masks the password of a URL and keeps scheme, user and host", () => {
    expect(r.redact("git clone https://x-access-token:s3cr3t-v4lue@github.com/o/r.git")).toBe(
      "git clone https://x-access-token:***@github.com/o/r.git",
    );
    expect(r.redact("postgres://app:p%40ss@db.internal:5432/app")).toBe(
      "postgres://app:***@db.internal:5432/app",
    );
    expect(r.redact("see https://example.com:8443/path@v2")).toBe("see https://example.com:8443/path@v2");
  });

  it("masks a whole PEM private-key block, RSA, EC, OpenSSH and encrypted", () => {
    const body = Array.from({ length: 6 }, (_, i) => alnum(64, 30 + i)).join("\n");
    for (const label of ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"]) {
      const pem = `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;
      expect(r.redact(`key:\n${pem}\nnext line`)).toBe("key:\n***\nnext line");
    }
    const encrypted = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0011AABB\n\n${body}\n-----END RSA PRIVATE KEY-----`;
    expect(r.redact(encrypted)).toBe("***");
    expect(r.redact("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")).toContain("MIIB");
  });

  it("masks the body of a PEM block whose footer is missing", () => {
    const body = `${alnum(64, 40)}\n${alnum(64, 41)}`;
    const out = r.redact(`-----BEGIN PRIVATE KEY-----\n${body}\n[log cut]`);
    expect(out).not.toContain(alnum(64, 40));
    expect(out).not.toContain(alnum(64, 41));
    expect(out).toContain("[log cut]");
  });
});
