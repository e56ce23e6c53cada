/** Ranking formulas (see the field notes): all pure, all unit-free. */

/** Reddit's "best": the lower bound of the Wilson score interval at 80 % confidence. */
export function wilsonLowerBound(ups: number, downs: number, z = 1.281551565545): number {
  const n = ups + downs;
  if (n === 0) return 0;
  const p = ups / n;
  return (p + (z * z) / (2 * n) - z * Math.sqrt((p * (1 - p) + (z * z) / (4 * n)) / n)) / (1 + (z * z) / n);
}

/** Reddit's hot: log-scaled net support plus time, so newer proposals rise; 12.5 h per factor of ten. */
export function hotScore(ups: number, downs: number, createdAtMs: number): number {
  const s = ups - downs;
  const order = Math.log10(Math.max(Math.abs(s), 1));
  const sign = s > 0 ? 1 : s < 0 ? -1 : 0;
  return Number((sign * order + (createdAtMs / 1000 - 1134028003) / 45000).toFixed(7));
}

/** High when many people vote and they split evenly. */
export function controversyScore(ups: number, downs: number): number {
  if (ups === 0 || downs === 0) return 0;
  return (ups + downs) / Math.max(Math.abs(ups - downs), 1);
}
