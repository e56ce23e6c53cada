import { createHash } from 'node:crypto';

const PERMUTATIONS = 128;
// 2^31 - 1, with multipliers below 2^21, keeps a * x + b under 2^53: exact in a JS number.
const PRIME = 2147483647;
const SEEDS = Array.from({ length: PERMUTATIONS }, (_, i) => {
  const h = createHash('sha256').update(`lotus-minhash-${i}`).digest();
  return [(h.readUInt32BE(0) % (2 ** 21 - 1)) + 1, h.readUInt32BE(4) % PRIME] as const;
});

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Shingles of normalised text: character 3-grams for Chinese and Japanese (no word
 * breaks), 5-character shingles of the space-free text otherwise.
 */
export function shingles(folded: string): Set<string> {
  const text = folded.replace(/\s+/g, '');
  const cjk = /[\u3040-\u30ff\u3400-\u9fff]/.test(text);
  const k = cjk ? 3 : 5;
  const out = new Set<string>();
  if (text.length <= k) {
    if (text) out.add(text);
    return out;
  }
  for (let i = 0; i + k <= text.length; i++) out.add(text.slice(i, i + k));
  return out;
}

/** A 128-permutation MinHash signature: the share of equal slots estimates Jaccard similarity. */
export function minhash(set: Set<string>): number[] {
  const sig = new Array<number>(PERMUTATIONS).fill(Number.MAX_SAFE_INTEGER);
  for (const s of set) {
    const x = hash32(s) % PRIME;
    for (let i = 0; i < PERMUTATIONS; i++) {
      const [a, b] = SEEDS[i];
      const v = (a * x + b) % PRIME;
      if (v < sig[i]) sig[i] = v;
    }
  }
  return sig;
}

export function estimatedJaccard(a: number[], b: number[]): number {
  let same = 0;
  for (let i = 0; i < PERMUTATIONS; i++) if (a[i] === b[i]) same++;
  return same / PERMUTATIONS;
}
