/** Exact percentiles (nearest rank) of small samples, in the unit they come in. */
export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

export function summarize(values: ArrayLike<number>): Summary {
  const xs = Array.from(values).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!xs.length) return { count: 0, min: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const at = (p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))];
  return { count: xs.length, min: round(xs[0]), p50: round(at(50)), p90: round(at(90)), p99: round(at(99)), max: round(xs[xs.length - 1]), mean: round(xs.reduce((a, b) => a + b, 0) / xs.length) };
}

/** A seeded generator, so every run offers the same choices and texts. */
export function seeded(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** Counts per one-second bucket from `start` (ms) over `times` (ms). */
export function perSecond(times: number[], start: number, seconds: number): number[] {
  const out = new Array<number>(Math.max(1, Math.ceil(seconds))).fill(0);
  for (const t of times) {
    const i = Math.floor((t - start) / 1000);
    if (i >= 0 && i < out.length) out[i]++;
  }
  return out;
}
