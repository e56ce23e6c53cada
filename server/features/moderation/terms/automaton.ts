/**
 * A small Aho-Corasick automaton over UTF-16 code units. Code units are enough:
 * patterns and texts are both well-formed folded strings, and a BMP unit never equals
 * a surrogate, so a match can only start and end on code point boundaries. Written
 * here rather than taken from modern-ahocorasick, which matches whole grapheme
 * clusters (an accent or emoji modifier would hide a letter) and has no use for our
 * folded-to-original index map.
 */
export interface Automaton {
  /** Calls onMatch(patternIndex, endExclusive) for every occurrence, overlaps included. */
  scan(text: string, onMatch: (pattern: number, end: number) => void): void;
}

/** Builds the automaton; patterns must be non-empty and distinct. */
export function buildAutomaton(patterns: readonly string[]): Automaton {
  const next: Array<Map<number, number>> = [new Map()];
  const output: number[] = [-1];
  for (let p = 0; p < patterns.length; p++) insert(next, output, patterns[p], p);
  const { fail, outLink } = linkFailures(next, output);

  return {
    scan(text, onMatch) {
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        let to = next[state].get(unit);
        while (to === undefined && state !== 0) {
          state = fail[state];
          to = next[state].get(unit);
        }
        state = to ?? 0;
        // Walk only the states that end a pattern, not the whole failure chain.
        for (let s = output[state] >= 0 ? state : outLink[state]; s > 0; s = outLink[s]) onMatch(output[s], i + 1);
      }
    },
  };
}

function insert(next: Array<Map<number, number>>, output: number[], pattern: string, index: number): void {
  let state = 0;
  for (let i = 0; i < pattern.length; i++) {
    const unit = pattern.charCodeAt(i);
    let to = next[state].get(unit);
    if (to === undefined) {
      to = next.length;
      next.push(new Map());
      output.push(-1);
      next[state].set(unit, to);
    }
    state = to;
  }
  output[state] = index;
}

/** Breadth-first failure links, plus for each state the nearest suffix state that ends a pattern. */
function linkFailures(next: Array<Map<number, number>>, output: number[]) {
  const fail = new Int32Array(next.length);
  const outLink = new Int32Array(next.length);
  const queue: number[] = [...next[0].values()];
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head];
    for (const [unit, child] of next[state]) {
      let f = fail[state];
      while (f !== 0 && !next[f].has(unit)) f = fail[f];
      const target = next[f].get(unit);
      fail[child] = target !== undefined && target !== child ? target : 0;
      outLink[child] = output[fail[child]] >= 0 ? fail[child] : outLink[fail[child]];
      queue.push(child);
    }
  }
  return { fail, outLink };
}
