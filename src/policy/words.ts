import { type ShNode, kind, list } from "./shell.js";

/**
 * A shell word with quotes and escapes resolved. `literal` is false when the word holds any expansion
 * whose value the policy cannot know (parameters, substitutions, arithmetic, a leading `~`); `pattern`
 * is true when unquoted glob or brace characters could expand it into other words.
 */
export interface ResolvedWord {
  text: string;
  literal: boolean;
  pattern: boolean;
}

/** A placeholder for arguments that exist at run time only (e.g. the ones `xargs` appends). */
export const UNKNOWN_WORD: ResolvedWord = { text: "…", literal: false, pattern: false };

export function resolveWord(word: ShNode): ResolvedWord {
  const out: ResolvedWord = { text: "", literal: true, pattern: false };
  const parts = list(word.Parts);
  parts.forEach((part, index) => resolvePart(part, out, index === 0, false));
  if (!out.pattern && hasBraceExpansion(unquotedText(parts))) out.pattern = true;
  return decodeBytes(out);
}

/**
 * mvdan-sh (GopherJS) hands back a word's UTF-8 bytes as one Latin-1 character per byte (`é` comes as
 * `Ã©`), and ANSI-C escapes (`$'\xc3\xa9'`) produce bytes too: words are built as byte strings and
 * decoded here, so that `ls > é` names the file bash creates. Bytes that are not UTF-8 name a file
 * no JavaScript string can address: such a word is treated as known only at run time.
 */
function decodeBytes(word: ResolvedWord): ResolvedWord {
  // A word known only at run time holds `…` placeholders and is never a path or program anyway.
  if (!word.literal || !/[\u0080-\uffff]/.test(word.text)) return word;
  const bytes = Buffer.from(word.text, "latin1");
  const text = bytes.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(bytes)) return { ...word, text, literal: false };
  return { ...word, text };
}

function resolvePart(part: ShNode, out: ResolvedWord, first: boolean, inDouble: boolean): void {
  switch (kind(part)) {
    case "Lit": {
      const value = String(part.Value);
      if (inDouble) {
        out.text += unescapeDouble(value);
        return;
      }
      if (first && value.startsWith("~")) out.literal = false; // tilde expansion: $HOME or ~user
      const { text, pattern } = unescapeUnquoted(value);
      out.text += text;
      if (pattern) out.pattern = true;
      return;
    }
    case "SglQuoted":
      out.text += part.Dollar ? decodeAnsiC(String(part.Value)) : String(part.Value);
      return;
    case "DblQuoted":
      for (const inner of list(part.Parts)) resolvePart(inner, out, false, true);
      return;
    default:
      // ParamExp, CmdSubst, ArithmExp, ProcSubst, ExtGlob…: known only at run time.
      out.literal = false;
      out.text += "…";
  }
}

/** Unquoted text: `\x` is `x`, backslash-newline disappears; unescaped `*?[` make a glob pattern. */
function unescapeUnquoted(value: string): { text: string; pattern: boolean } {
  let text = "";
  let pattern = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "\\") {
      const next = value[i + 1];
      i++;
      if (next === undefined || next === "\n") continue;
      text += next;
      continue;
    }
    // `[` starts a bracket pattern only when a `]` follows (`[ -f x ]` runs the `[` command).
    if (c === "*" || c === "?" || (c === "[" && value.indexOf("]", i + 1) > 0)) pattern = true;
    text += c;
  }
  return { text, pattern };
}

/** Inside double quotes a backslash escapes only `$`, backquote, `"`, `\` and newline. */
function unescapeDouble(value: string): string {
  return value.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === "\n" ? "" : c));
}

/** The unquoted literal text of a word, with quoted parts blanked, to look for brace expansion. */
function unquotedText(parts: ShNode[]): string {
  return parts
    .map((part) => (kind(part) === "Lit" ? String(part.Value).replace(/\\./g, "__") : "_"))
    .join("");
}

/** `{a,b}` or `{1..3}` (unquoted) expand into several words. */
function hasBraceExpansion(text: string): boolean {
  return /\{[^{}]*(,|\.\.)[^{}]*\}/.test(text);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

/** Decodes bash's ANSI-C quoting, `$'…'`, into a byte string (one character per byte; `\u` as UTF-8). */
export function decodeAnsiC(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== "\\" || i === value.length - 1) {
      out += c;
      continue;
    }
    const e = value[++i]!;
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
    } else if (/[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(value.slice(i))![0];
      out += String.fromCharCode(parseInt(digits, 8) & 0xff);
      i += digits.length - 1;
    } else if (e === "x" || e === "u" || e === "U") {
      const max = e === "x" ? 2 : e === "u" ? 4 : 8;
      const digits = new RegExp(`^[0-9a-fA-F]{1,${max}}`).exec(value.slice(i + 1))?.[0];
      if (!digits) {
        out += `\\${e}`;
        continue;
      }
      const code = parseInt(digits, 16);
      // `\x` is a byte; `\u`/`\U` a code point, which bash writes in UTF-8.
      out +=
        e === "x"
          ? String.fromCharCode(code)
          : Buffer.from(String.fromCodePoint(Math.min(code, 0x10ffff)), "utf8").toString("latin1");
      i += digits.length;
    } else if (e === "c" && i + 1 < value.length) {
      out += String.fromCharCode(value.charCodeAt(++i) & 0x1f);
    } else {
      out += `\\${e}`;
    }
  }
  return out;
}
