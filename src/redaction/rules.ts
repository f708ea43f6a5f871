/**
 * Token shapes the redactor masks without being told the value. Each rule is keyed by needles
 * (short literals found by native string search, see NEEDLES); only where a needle occurs does the
 * rule's anchored check run. Shapes follow the published token formats (GitHub's 2021 token format, fine-grained
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
const PEM_HEADER = /-----BEGIN[ A-Z0-9_-]{0,64}PRIVATE KEY(?: BLOCK)?-----/y;
const PEM_FOOTER = /-----END[ A-Z0-9_-]{0,64}PRIVATE KEY(?: BLOCK)?-----/g;

/** The longest a PEM private-key block may be (RSA 8192 is about 6.5 KB) before its footer. */
export const PEM_MAX = 16_384;

const GITHUB_RULE: Rule = {
  kind: "github-token",
  maxLen: 300,
  check: (t, p) => sticky(GITHUB, t, p),
  tail: isWord,
};
const GHS_RULE: Rule = {
  kind: "github-token",
  maxLen: 300,
  check: (t, p) => sticky(GITHUB_GHS, t, p),
  tail: isGhsChar,
};
const PAT_RULE: Rule = {
  kind: "github-pat",
  maxLen: 300,
  check: (t, p) => sticky(GITHUB_PAT, t, p),
  tail: isWord,
};
const ANTHROPIC_RULE: Rule = {
  kind: "anthropic-key",
  maxLen: 300,
  check: (t, p) => sticky(ANTHROPIC, t, p),
  tail: isKeyChar,
};
const OPENAI_RULE: Rule = {
  kind: "openai-key",
  maxLen: 400,
  check: (t, p) => (isKeyChar(before(t, p)) ? null : sticky(OPENAI, t, p)),
  tail: isKeyChar,
};
const AWS_RULE: Rule = {
  kind: "aws-access-key-id",
  maxLen: 21,
  check: (t, p) => {
    if (isUpperAlnum(before(t, p))) return null;
    const hit = sticky(AWS_KEY_ID, t, p);
    return hit && !isUpperAlnum(t.charCodeAt(hit.end) || 32) ? hit : null;
  },
};
const AUTHORIZATION_RULE: Rule = {
  kind: "authorization",
  maxLen: 64,
  check: (t, p) => sticky(AUTHORIZATION, t, p, 1),
  tail: (c) => c > 32 && c !== 34 && c !== 39 && c !== 44 && c !== 59,
};
const BEARER_RULE: Rule = {
  kind: "bearer-token",
  maxLen: 440,
  check: (t, p) => (isAlnum(before(t, p)) ? null : sticky(BEARER, t, p, 1)),
  tail: isB64Token,
};
const URL_RULE: Rule = { kind: "url-credential", maxLen: 800, check: checkUrlCredential };
const PEM_RULE: Rule = {
  kind: "private-key",
  maxLen: PEM_MAX + 128,
  check: checkPem,
  window: true,
  tail: isPemBody,
};

/**
 * Where candidates start. Each needle is searched with the engine's native string search (`indexOf`
 * or a global regex), which skips through ordinary text far faster than a per-character loop; `back`
 * is how far before the needle the candidate starts. String needles favour a rare first character
 * ("k-" rather than "sk-"). URL credentials are found from their `@` (rare in logs) rather than
 * from `://` (on almost every log line).
 */
export const NEEDLES: readonly Needle[] = [
  { search: "gh", back: 0, rules: [GITHUB_RULE, GHS_RULE] },
  { search: "_pat_", back: 6, rules: [PAT_RULE] },
  { search: "k-", back: 1, rules: [ANTHROPIC_RULE, OPENAI_RULE] },
  { search: /A(?:3T[A-Z0-9]|KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|PKA|ROA|SCA)/g, back: 0, rules: [AWS_RULE] },
  { search: /authorization/gi, back: 0, rules: [AUTHORIZATION_RULE] },
  { search: /bearer/gi, back: 0, rules: [BEARER_RULE] },
  { search: "@", back: 0, rules: [URL_RULE], anchor: urlBeforeAt, last: "://" },
  { search: "BEGIN", back: 5, rules: [PEM_RULE] },
];

/** A native search that yields candidate positions for some rules. */
export interface Needle {
  search: string | RegExp;
  back: number;
  rules: readonly Rule[];
  /**
   * Maps a needle at `i` to the candidate's start (or null: no candidate), for rules whose needle is
   * not at their start. It may look back no further than `from` (text before was settled earlier).
   */
  anchor?: (text: string, i: number, from: number) => number | null;
  /**
   * A candidate start that the needle cannot see yet (a URL whose `@` is still to come): while more
   * text may follow, the last occurrence within the rules' reach of the end is checked too, which
   * holds it back until the rule can decide.
   */
  last?: string;
}

/** The longest stretch a needle occupies from its candidate start (a partial needle may end a chunk). */
export const NEEDLE_REACH = 16;

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

/** Ends the authority part of a URL: whitespace, `/ ? #`, quotes and angle brackets. */
const endsAuthority = (c: number): boolean =>
  c <= 32 || c === 47 || c === 63 || c === 35 || c === 34 || c === 39 || c === 60 || c === 62;

/**
 * The `://` that starts the URL authority ending at the `@` at `at`, or null. The authority holds no
 * `@`, whitespace, `/ ? #`, quotes or angle brackets, and is at most 769 characters (user 256, `:`,
 * password 512), as `checkUrlCredential` requires.
 */
function urlBeforeAt(text: string, at: number, from: number): number | null {
  const floor = Math.max(from + 2, at - 770);
  let k = at - 1;
  while (k >= floor) {
    const c = text.charCodeAt(k);
    if (c === 64 || endsAuthority(c)) break;
    k--;
  }
  // k is on the second "/" of "://".
  return k >= floor && text.startsWith("://", k - 2) ? k - 2 : null;
}

/**
 * `scheme://user:password@host`: masks the password only, so the URL stays readable. A loop rather
 * than a regex because "://" is on almost every log line and most URLs end their authority early.
 */
function checkUrlCredential(text: string, pos: number): RuleHit | null {
  let colon = -1;
  const limit = Math.min(text.length, pos + 3 + 256 + 1 + 512);
  for (let i = pos + 3; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 64 /* @ */) {
      if (colon < 0 || i === colon + 1 || colon - (pos + 3) > 256) return null;
      return { start: colon + 1, end: i };
    }
    if (c === 58 /* : */ && colon < 0) colon = i;
    else if (endsAuthority(c)) return null;
  }
  return null;
}
