import { Automaton } from "./automaton.js";
import { RULES, type Rule } from "./rules.js";

/** What replaces every masked range. */
export const MASK = "***";

interface Match {
  start: number;
  end: number;
  kind: string;
  /** The match reached the end of the text and may continue with these characters. */
  tail?: (code: number) => boolean;
}

/** The result of one scan: the matches to apply and how far the text is settled. */
export interface Scan {
  /** Sorted by start, then longest first. */
  matches: Match[];
  /** Text before `safe` is final: no match can start before it and end after the text seen so far. */
  safe: number;
}

/**
 * The one matching engine behind `Redactor.redact()` and `Redactor.stream()`: an automaton over
 * registered-secret variants and rule triggers, then anchored checks at each trigger hit.
 */
export class Engine {
  private readonly automaton: Automaton;
  /** For each automaton pattern: the literal secret form, or the rule it triggers. */
  private readonly targets: ({ literal: string } | { rule: Rule; length: number })[];

  constructor(literals: readonly string[]) {
    const patterns: string[] = [];
    this.targets = [];
    for (const literal of literals) {
      patterns.push(literal);
      this.targets.push({ literal });
    }
    for (const rule of RULES) {
      for (const trigger of rule.triggers) {
        patterns.push(trigger);
        this.targets.push({ rule, length: trigger.length });
      }
    }
    this.automaton = new Automaton(patterns);
  }

  /**
   * Finds the matches that start at or after `from` in `text`. With `final` false more text may follow:
   * matches that could still change are left for the next scan (`safe` says where that begins).
   */
  scan(text: string, from: number, final: boolean): Scan {
    const n = text.length;
    const found: (Match & { anchor: number })[] = [];
    let deferred = n;
    const depth = this.automaton.scan(text, from, (id, end) => {
      const target = this.targets[id]!;
      if ("literal" in target) {
        const start = end - target.literal.length;
        if (text.startsWith(target.literal, start)) found.push({ start, end, kind: "secret", anchor: start });
        return;
      }
      const { rule } = target;
      const pos = end - target.length;
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
    });

    let safe = final ? n : Math.min(n - depth, deferred);
    // A rule match whose masked range starts after `safe` is redone next time from its trigger.
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
