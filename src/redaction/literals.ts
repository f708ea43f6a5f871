import { Automaton } from "./automaton.js";

/** Bits of a q-gram key: three 7-bit characters, exact for ASCII (wider characters fold in). */
const KEY_BITS = 21;
const KEY_MASK = (1 << KEY_BITS) - 1;

/** Key of the 3-gram at `i` (fewer characters when `q` < 3). */
function gram(text: string, i: number, q: number): number {
  let h = 0;
  for (let j = 0; j < q; j++) h = ((h << 7) ^ text.charCodeAt(i + j)) & KEY_MASK;
  return h;
}

/**
 * Finds registered-secret forms (literal strings) in text without visiting every character.
 *
 * Every literal is at least `minLen` long, so every occurrence covers a whole window of `width`
 * characters that starts at a sampled position (one every `minLen - width + 1` characters). A bitmap of
 * all 3-grams of all literals rejects almost every window of ordinary text (a window passes only if
 * each of its 3-grams — one or two of them — occurs in some literal); around a window that passes, an
 * Aho–Corasick automaton confirms the exact matches. With secrets of 24+ characters that is a couple
 * of bitmap probes per ~20 characters instead of a state transition per character.
 */
export class LiteralFinder {
  private readonly automaton: Automaton;
  /** Characters per gram (3, fewer only for literals shorter than 4). */
  private readonly q: number;
  /** Grams per window: 2 when literals are long enough to keep the stride useful, else 1. */
  private readonly grams: number;
  private readonly step: number;
  /** The longest literal: how far a match can reach around a sample, and how much a stream holds back. */
  readonly maxLen: number;
  private readonly bits = new Uint32Array(1 << (KEY_BITS - 5));

  constructor(readonly literals: readonly string[]) {
    const minLen = Math.min(...literals.map((l) => l.length));
    this.maxLen = Math.max(0, ...literals.map((l) => l.length));
    this.q = Math.max(1, Math.min(3, minLen - 1));
    this.grams = minLen >= 12 ? 2 : 1;
    this.step = minLen - this.q * this.grams + 1;
    this.automaton = new Automaton(literals);
    for (const literal of literals) {
      for (let i = 0; i + this.q <= literal.length; i++) {
        const h = gram(literal, i, this.q);
        this.bits[h >>> 5]! |= 1 << (h & 31);
      }
    }
  }

  /**
   * Calls `onMatch(start, end)` once for every literal occurrence that lies within `[from, text.length)`.
   * `tail`, when given, is `text.slice(tailAt)` as its own flat string: probing it directly is about
   * twice as fast as probing `text` when that is a concatenation (the stream's held-back text + chunk).
   */
  find(
    text: string,
    from: number,
    onMatch: (start: number, end: number) => void,
    tail = text,
    tailAt = 0,
  ): void {
    if (this.literals.length === 0) return;
    const n = text.length;
    const { bits, step, q, maxLen } = this;
    const width = q * this.grams;
    const seen = new Set<number>(); // start × 65536 + literal id
    // Positions below `scanned` were already run through the automaton for an earlier sample.
    let scanned = from;
    for (let p = from; p + width <= n; p += step) {
      // Probe the window in `tail` when it lies there, else in `text`.
      const inTail = p >= tailAt;
      const s = inTail ? tail : text;
      const k = inTail ? p - tailAt : p;
      let h =
        q === 3
          ? ((s.charCodeAt(k) << 14) ^ (s.charCodeAt(k + 1) << 7) ^ s.charCodeAt(k + 2)) & KEY_MASK
          : gram(s, k, q);
      if (((bits[h >>> 5]! >>> (h & 31)) & 1) === 0) continue;
      if (width === 6) {
        h = ((s.charCodeAt(k + 3) << 14) ^ (s.charCodeAt(k + 4) << 7) ^ s.charCodeAt(k + 5)) & KEY_MASK;
        if (((bits[h >>> 5]! >>> (h & 31)) & 1) === 0) continue;
      }
      // Any literal containing this window starts in [p - maxLen + width, p] and ends by p + maxLen.
      const start = Math.max(from, p - maxLen + width, scanned - maxLen + 1);
      const end = Math.min(n, p + maxLen);
      this.automaton.scan(
        text,
        start,
        (id, matchEnd) => {
          const literal = this.literals[id]!;
          const matchStart = matchEnd - literal.length;
          const key = matchStart * 65536 + id;
          if (matchStart >= from && !seen.has(key) && text.startsWith(literal, matchStart)) {
            seen.add(key);
            onMatch(matchStart, matchEnd);
          }
        },
        end,
      );
      scanned = end;
    }
  }
}
