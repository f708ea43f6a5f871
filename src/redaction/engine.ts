import { LiteralFinder } from "./literals.js";
import { NEEDLE_REACH, NEEDLES, type Rule } from "./rules.js";

/** What replaces every masked range. */
export const MASK = "***";

interface Match {
  start: number;
  end: number;
  kind: string;
  /** The match reached the end of the text and may continue with these characters. */
  tail?: ((code: number) => boolean) | undefined;
}

/** The result of one scan: the matches to apply and how far the text is settled. */
export interface Scan {
  /** Sorted by start, then longest first. */
  matches: Match[];
  /** Text before `safe` is final: no match can start before it and end after the text seen so far. */
  safe: number;
}

/**
 * The one matching engine behind `Redactor.redact()` and `Redactor.stream()`: a sampled literal finder
 * for registered-secret forms, native searches for the needles of token rules, and an anchored check
 * of each rule where its needle occurs.
 */
export class Engine {
  private readonly literals: LiteralFinder;

  constructor(literals: readonly string[]) {
    this.literals = new LiteralFinder(literals);
  }

  /**
   * Finds the matches that start at or after `from` in `text`. With `final` false more text may follow:
   * matches that could still change are left for the next scan (`safe` says where that begins).
   * `tail` may be `text.slice(tailAt)` as a separate string (see LiteralFinder.find).
   */
  scan(text: string, from: number, final: boolean, tail = text, tailAt = 0): Scan {
    const n = text.length;
    const found: (Match & { anchor: number })[] = [];
    let deferred = n;

    const literal = (start: number, end: number) => found.push({ start, end, kind: "secret", anchor: start });
    this.literals.find(text, from, literal, tail, tailAt);

    const candidate = (rule: Rule, pos: number): void => {
      const short = n - pos < rule.maxLen;
      if (!final && short && rule.window) {
        deferred = Math.min(deferred, pos);
        return;
      }
      const hit = rule.check(text, pos);
      if (!hit) {
        if (!final && short) deferred = Math.min(deferred, pos);
        return;
      }
      if (hit.end >= n && !final) {
        // The match runs to the end of what we have: wait for more, unless it is already longer than the
        // rule's reach; then it is masked as an open run that the next chunk continues (rule.tail).
        if (short) {
          deferred = Math.min(deferred, pos);
          return;
        }
        found.push({ ...hit, kind: rule.kind, anchor: pos, tail: rule.tail });
        return;
      }
      found.push({ ...hit, kind: rule.kind, anchor: pos });
    };
    for (const { search, back, rules, anchor, last } of NEEDLES) {
      const at = (i: number): void => {
        const pos = anchor ? anchor(text, i, from) : i - back;
        if (pos !== null) for (const rule of rules) candidate(rule, pos);
      };
      if (typeof search === "string") {
        for (let i = text.indexOf(search, from + back); i >= 0; i = text.indexOf(search, i + 1)) at(i);
      } else {
        search.lastIndex = from + back;
        for (let m = search.exec(text); m; m = search.exec(text)) {
          at(m.index);
          search.lastIndex = m.index + 1;
        }
      }
      if (last && !final) {
        const reach = Math.max(...rules.map((r) => r.maxLen));
        const window = Math.max(from, n - reach);
        const j = text.slice(window).lastIndexOf(last);
        if (j >= 0) for (const rule of rules) candidate(rule, window + j);
      }
    }

    // A literal or needle cut off by the end of the text may complete in the next chunk.
    const partial = Math.max(this.literals.maxLen, NEEDLE_REACH) - 1;
    let safe = final ? n : Math.max(from, Math.min(n - partial, deferred));
    // A rule match whose masked range starts after `safe` is redone next time from its anchor.
    for (let changed = !final; changed;) {
      changed = false;
      for (const m of found) {
        if (m.start >= safe && m.anchor < safe) {
          safe = m.anchor;
          changed = true;
        }
      }
    }
    const matches = found.filter((m) => m.start < safe);
    matches.sort((a, b) => a.start - b.start || b.end - a.end);
    return { matches, safe };
  }
}

/**
 * Where output stands, in the coordinates of the text being scanned. `cursor` is how far output was
 * written; `maskEnd` is the end of the last mask written (overlapping matches extend it silently).
 */
export interface RenderState {
  cursor: number;
  maskEnd: number;
  tail: ((code: number) => boolean) | undefined;
  /** Masks written so far, by kind. */
  counts: Map<string, number>;
}

export function newRenderState(): RenderState {
  return { cursor: 0, maskEnd: -1, tail: undefined, counts: new Map() };
}

/**
 * Applies a scan to `text` and returns the output for `[state.cursor, safe)` (or up to the end of the
 * last mask if that lies further). Overlapping matches merge into one mask.
 */
export function render(text: string, scan: Scan, state: RenderState, final: boolean): string {
  const out: string[] = [];
  if (state.tail && state.cursor === state.maskEnd) {
    // An open run from the previous chunk (a very long token) continues.
    let i = state.cursor;
    while (i < text.length && state.tail(text.charCodeAt(i))) i++;
    state.cursor = state.maskEnd = i;
    if (i < text.length || final) state.tail = undefined;
  }
  for (const m of scan.matches) {
    if (m.start < state.maskEnd) {
      if (m.end > state.maskEnd) {
        state.cursor = state.maskEnd = m.end;
        state.tail = m.tail;
      }
      continue;
    }
    // Matches never start inside text already written (the scan holds such text back); if one did,
    // masking from the cursor on is the most that can still be done.
    if (m.start > state.cursor) out.push(text.slice(state.cursor, m.start));
    out.push(MASK);
    state.counts.set(m.kind, (state.counts.get(m.kind) ?? 0) + 1);
    state.cursor = state.maskEnd = m.end;
    state.tail = m.tail;
  }
  if (state.cursor < scan.safe) {
    out.push(text.slice(state.cursor, scan.safe));
    state.cursor = scan.safe;
  }
  return out.length === 1 ? out[0]! : out.join("");
}
