import { Automaton } from "./automaton.js";

/**
 * Finds registered-secret forms (literal strings) in text without visiting every character.
 *
 * Every literal is at least `minLen` long, so every occurrence contains a q-gram that starts at a
 * sampled position (one every `minLen - q + 1` characters). A bitmap of all q-grams of all literals
 * rejects almost every sample of ordinary text; around a sample that passes, an Aho–Corasick automaton
 * confirms the exact matches. With 20 secrets of 24+ characters that is one bitmap probe per ~20
 * characters instead of a state transition per character.
 */
export class LiteralFinder {
  private readonly automaton: Automaton;
  private readonly q: number;
  private readonly step: number;
  /** The longest literal: how far a match can reach around a sample, and how much a stream holds back. */
  readonly maxLen: number;
  private readonly grams = new Uint8Array(1 << 18);

  constructor(readonly literals: readonly string[]) {
    const minLen = Math.min(...literals.map((l) => l.length));
    this.maxLen = Math.max(0, ...literals.map((l) => l.length));
    this.q = Math.max(1, Math.min(3, minLen - 1));
    this.step = minLen - this.q + 1;
    this.automaton = new Automaton(literals);
    for (const literal of literals) {
      for (let i = 0; i + this.q <= literal.length; i++) this.grams[this.hash(literal, i)] = 1;
    }
  }

  private hash(text: string, i: number): number {
    let h = 0;
    for (let j = 0; j < this.q; j++) h = ((h << 6) ^ text.charCodeAt(i + j)) & 0x3ffff;
    return h;
  }

  /** Calls `onMatch(start, end)` once for every literal occurrence that lies within `[from, text.length)`. */
  find(text: string, from: number, onMatch: (start: number, end: number) => void): void {
    if (this.literals.length === 0) return;
    const n = text.length;
    const { grams, step, q, maxLen } = this;
    const seen = new Set<number>(); // start × 65536 + literal id
    // Positions below `scanned` were already run through the automaton for an earlier sample.
    let scanned = from;
    for (let p = from; p + q <= n; p += step) {
      const h =
        q === 3
          ? ((((text.charCodeAt(p) << 6) ^ text.charCodeAt(p + 1)) << 6) ^ text.charCodeAt(p + 2)) & 0x3ffff
          : this.hash(text, p);
      if (grams[h] === 0) continue;
      // Any literal containing this q-gram starts in [p - maxLen + q, p] and ends by p + maxLen.
      const start = Math.max(from, p - maxLen + q, scanned - maxLen + 1);
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
