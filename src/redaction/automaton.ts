/**
 * An Aho–Corasick automaton compiled to a dense DFA over a compressed alphabet. It finds every
 * occurrence of many literal strings in one left-to-right pass; the redactor runs it only around the
 * places where its q-gram filter says a registered secret may be (see literals.ts).
 *
 * The automaton runs on ASCII-case-folded text (`A` and `a` share one input class), which keeps the
 * alphabet small; callers re-check each hit exactly, which is cheap because hits are rare.
 */
export class Automaton {
  /** Input class of every UTF-16 code unit; 0 is "appears in no pattern". */
  private readonly classOf: Uint16Array;
  private readonly classCount: number;
  /**
   * The transition table, pre-multiplied for speed: `delta[row + class]` is the next state's row
   * (state × classCount), negated when that state has outputs. The root's row is 0, and the root has none.
   */
  private readonly delta: Int32Array;
  /** Length of the string that leads from the root to each state. */
  private readonly depthOf: Int32Array;
  /** Patterns that end in each state (own and through failure links); empty for most states. */
  private readonly outputs: (readonly number[] | undefined)[];

  constructor(readonly patterns: readonly string[]) {
    this.classOf = new Uint16Array(65536);
    let classes = 1;
    for (const pattern of patterns) {
      for (let i = 0; i < pattern.length; i++) {
        const c = fold(pattern.charCodeAt(i));
        if (this.classOf[c] === 0) {
          this.classOf[c] = classes++;
          // The upper-case twin of a letter reads as the same class.
          if (c >= 97 && c <= 122) this.classOf[c - 32] = this.classOf[c]!;
        }
      }
    }
    this.classCount = classes;

    // 1. The trie, as sparse children maps while it grows.
    const children: Map<number, number>[] = [new Map()];
    const depth: number[] = [0];
    const own: number[][] = [[]];
    patterns.forEach((pattern, id) => {
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const cls = this.classOf[fold(pattern.charCodeAt(i))]!;
        let next = children[state]!.get(cls);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          depth.push(depth[state]! + 1);
          own.push([]);
          children[state]!.set(cls, next);
        }
        state = next;
      }
      own[state]!.push(id);
    });

    // 2. Breadth-first: failure links, then the dense transition table (goto or follow the failure link).
    const states = children.length;
    const k = classes;
    const delta = new Int32Array(states * k);
    const fail = new Int32Array(states);
    this.outputs = new Array(states);
    const queue: number[] = [];
    for (let cls = 0; cls < k; cls++) {
      const child = children[0]!.get(cls);
      if (child !== undefined) {
        delta[cls] = child;
        fail[child] = 0;
        queue.push(child);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const merged = [...own[state]!, ...(this.outputs[fail[state]!] ?? [])];
      this.outputs[state] = merged.length ? merged : undefined;
      for (let cls = 0; cls < k; cls++) {
        const child = children[state]!.get(cls);
        if (child !== undefined) {
          fail[child] = delta[fail[state]! * k + cls]!;
          delta[state * k + cls] = child;
          queue.push(child);
        } else {
          delta[state * k + cls] = delta[fail[state]! * k + cls]!;
        }
      }
    }
    for (let i = 0; i < delta.length; i++) {
      const next = delta[i]!;
      delta[i] = this.outputs[next] ? -next * k : next * k;
    }
    this.delta = delta;
    this.depthOf = Int32Array.from(depth);
  }

  /**
   * Scans `text` from `from` to `to` (default: its end) and calls `onHit(patternId, end)` for every occurrence of a
   * pattern (case-folded), `end` being the index just after it. Returns the depth of the final state:
   * the length of the longest suffix of `text` that could still grow into a pattern.
   */
  scan(text: string, from: number, onHit: (pattern: number, end: number) => void, to = text.length): number {
    const { classOf, delta } = this;
    const n = to;
    let row = 0;
    for (let i = from; i < n; i++) {
      row = delta[row + classOf[text.charCodeAt(i)]!]!;
      if (row < 0) {
        row = -row;
        for (const id of this.outputs[row / this.classCount]!) onHit(id, i + 1);
      }
    }
    return Math.min(this.depthOf[row / this.classCount]!, n - from);
  }
}

/** ASCII lower case; everything else unchanged. */
function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
