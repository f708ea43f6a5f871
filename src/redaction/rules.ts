/**
 * Token shapes the redactor masks without being told the value. Each rule is keyed by literal
 * triggers (prefixes the automaton finds in one pass); only where a trigger occurs does the rule's
 * anchored check run. Shapes follow the published token formats (GitHub's 2021 token format, fine-grained
 * PATs and long `ghs_` installation tokens; Anthropic and OpenAI key prefixes; AWS access key id
 * prefixes as listed by secretlint's AWS rule), written here from those formats.
 */

/** What a rule found: the half-open range to mask (it may start after the trigger, e.g. after `Bearer `). */
export interface RuleHit {
  start: number;
  end: number;
}

export interface Rule {
  /** Kind name, used in docs and counts (`github-token`, `private-key`, …). */
  kind: string;
  /** Literal prefixes that start a candidate (matched ASCII-case-insensitively by the automaton). */
  triggers: readonly string[];
  /** How far past the trigger a match can reach before its open-ended tail (see `tail`). */
  maxLen: number;
  /** Checks the candidate at `pos` (where a trigger starts) against the whole `text`. */
  check(text: string, pos: number): RuleHit | null;
  /**
   * True when the answer may depend on text far past the end of a hit (the PEM footer search): the
   * stream then waits for `maxLen` characters after the trigger before it trusts the answer.
   */
  window?: boolean;
  /**
   * Characters of the open-ended run a match ends with. When a match runs up to the end of the
   * available text, the stream keeps masking while the next chunk continues with these characters.
   */
  tail?: (code: number) => boolean;
}

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isWord = (c: number): boolean => isAlnum(c) || c === 95; // [A-Za-z0-9_]
const isKeyChar = (c: number): boolean => isWord(c) || c === 45; // [A-Za-z0-9_-]
const isGhsChar = (c: number): boolean => isWord(c) || c === 46; // [A-Za-z0-9_.]
const isUpperAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
// RFC 6750 b64token plus padding.
const isB64Token = (c: number): boolean =>
  isAlnum(c) || c === 45 || c === 46 || c === 95 || c === 126 || c === 43 || c === 47 || c === 61;
// Base64, line breaks, and the "Proc-Type: 4,ENCRYPTED" / "DEK-Info: AES-128-CBC,…" lines of encrypted keys.
const isPemBody = (c: number): boolean =>
  isAlnum(c) ||
  c === 43 ||
  c === 47 ||
  c === 61 ||
  c === 10 ||
  c === 13 ||
  c === 32 ||
  c === 9 ||
  c === 58 ||
  c === 44 ||
  c === 45 ||
  c === 46;

/** Runs a sticky regex at `pos`; returns the range of `group` (0 = whole match; groups need the `d` flag). */
function sticky(re: RegExp, text: string, pos: number, group = 0): RuleHit | null {
  re.lastIndex = pos;
  const m = re.exec(text);
  if (!m) return null;
  if (group === 0) return { start: m.index, end: m.index + m[0].length };
  const range = m.indices?.[group];
  return range ? { start: range[0], end: range[1] } : null;
}

const before = (text: string, pos: number): number => (pos > 0 ? text.charCodeAt(pos - 1) : 32);

const GITHUB = /gh[pousr]_[A-Za-z0-9_]{36,}/y;
const GITHUB_GHS = /ghs_[A-Za-z0-9_.]{36,}/y;
const GITHUB_PAT = /github_pat_[A-Za-z0-9_]{22,}/y;
const ANTHROPIC = /sk-ant-[A-Za-z0-9_-]{20,}/y;
// Legacy `sk-` + 48, project/service-account/admin keys with dashes and underscores. A digit is
// required so that prose such as "risk-free-…" (which contains "sk-") is left alone.
const OPENAI = /sk-(?!ant-)(?:proj-|svcacct-|admin-)?(?=[A-Za-z_-]{0,200}[0-9])[A-Za-z0-9_-]{20,}/y;
const AWS_KEY_ID = /(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}/y;
const AUTHORIZATION =
  /authorization["']?\s{0,8}[:=]\s{0,8}["']?(?:(?:bearer|basic|token|bot|digest|negotiate)\s+)?([^\s"',;]{4,})/diy;
const BEARER = /bearer\s{1,8}((?=[A-Za-z._~+/=-]{0,400}[0-9])[A-Za-z0-9._~+/-]{16,}=*)/diy;
// scheme://user:password@host — only the password is masked, so the URL stays readable.
const URL_CREDENTIAL = /:\/\/[^\s:/?#@"'<>]{0,256}:([^\s/?#@"'<>]{1,512})@/dy;
const PEM_HEADER = /-----BEGIN[ A-Z0-9_-]{0,64}PRIVATE KEY(?: BLOCK)?-----/y;
const PEM_FOOTER = /-----END[ A-Z0-9_-]{0,64}PRIVATE KEY(?: BLOCK)?-----/g;

/** The longest a PEM private-key block may be (RSA 8192 is about 6.5 KB) before its footer. */
export const PEM_MAX = 16_384;

export const RULES: readonly Rule[] = [
  {
    kind: "github-token",
    triggers: ["ghp_", "gho_", "ghu_", "ghr_"],
    maxLen: 300,
    check: (t, p) => sticky(GITHUB, t, p),
    tail: isWord,
  },
  {
    kind: "github-token",
    triggers: ["ghs_"],
    maxLen: 300,
    check: (t, p) => sticky(GITHUB_GHS, t, p),
    tail: isGhsChar,
  },
  {
    kind: "github-pat",
    triggers: ["github_pat_"],
    maxLen: 300,
    check: (t, p) => sticky(GITHUB_PAT, t, p),
    tail: isWord,
  },
  {
    kind: "anthropic-key",
    triggers: ["sk-ant-"],
    maxLen: 300,
    check: (t, p) => sticky(ANTHROPIC, t, p),
    tail: isKeyChar,
  },
  {
    kind: "openai-key",
    triggers: ["sk-"],
    maxLen: 400,
    check: (t, p) => (isKeyChar(before(t, p)) ? null : sticky(OPENAI, t, p)),
    tail: isKeyChar,
  },
  {
    kind: "aws-access-key-id",
    triggers: [
      "A3T",
      "AKIA",
      "ASIA",
      "ABIA",
      "ACCA",
      "AGPA",
      "AIDA",
      "AIPA",
      "ANPA",
      "ANVA",
      "APKA",
      "AROA",
      "ASCA",
    ],
    maxLen: 21,
    check: (t, p) => {
      if (isUpperAlnum(before(t, p))) return null;
      const hit = sticky(AWS_KEY_ID, t, p);
      return hit && !isUpperAlnum(t.charCodeAt(hit.end) || 32) ? hit : null;
    },
  },
  {
    kind: "authorization",
    triggers: ["authorization"],
    maxLen: 64,
    check: (t, p) => sticky(AUTHORIZATION, t, p, 1),
    tail: (c) => c > 32 && c !== 34 && c !== 39 && c !== 44 && c !== 59,
  },
  {
    kind: "bearer-token",
    triggers: ["bearer"],
    maxLen: 440,
    check: (t, p) => (isAlnum(before(t, p)) ? null : sticky(BEARER, t, p, 1)),
    tail: isB64Token,
  },
  {
    kind: "url-credential",
    triggers: ["://"],
    maxLen: 800,
    check: (t, p) => sticky(URL_CREDENTIAL, t, p, 1),
  },
  {
    kind: "private-key",
    triggers: ["-----begin"],
    maxLen: PEM_MAX + 128,
    check: checkPem,
    window: true,
    tail: isPemBody,
  },
];

/**
 * A PEM private-key block: header to footer when the footer comes within PEM_MAX characters;
 * otherwise (a truncated or garbled block) the header and the base64 body that follows it.
 */
function checkPem(text: string, pos: number): RuleHit | null {
  const header = sticky(PEM_HEADER, text, pos);
  if (!header) return null;
  PEM_FOOTER.lastIndex = header.end;
  const footer = PEM_FOOTER.exec(text.length - header.end > PEM_MAX ? text.slice(0, pos + PEM_MAX) : text);
  if (footer) return { start: pos, end: footer.index + footer[0].length };
  let end = header.end;
  while (end < text.length && isPemBody(text.charCodeAt(end))) end++;
  return { start: pos, end };
}
