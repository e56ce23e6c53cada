import { useEffect, useState } from 'preact/hooks';
import { getDensity } from '../lotus-api.js';

const REFRESH_LIVE_MS = 15_000;
const BUCKETS = 120;

/** Bucket size for a video: about 120 buckets, at least a second each (the server's minimum). */
export function bucketFor(durationMs: number): number {
  return Math.max(1_000, Math.round(durationMs / BUCKETS));
}

/**
 * Comment counts along the video (the "high-energy" bar). Loaded once for a
 * replay; refreshed every 15 s while live, as the room keeps talking.
 * Null until the first answer; a failed load simply leaves the bar empty.
 */
export function useDensity(roomId: string, durationMs: number, live: boolean): number[] | null {
  const [counts, setCounts] = useState<number[] | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      getDensity(roomId, bucketFor(durationMs), controller.signal).then(
        (res) => setCounts(res.counts),
        () => undefined,
      );
    void load();
    const timer = live ? setInterval(load, REFRESH_LIVE_MS) : null;
    return () => {
      controller.abort();
      if (timer) clearInterval(timer);
    };
  }, [roomId, durationMs, live]);
  return counts;
}

/** The SVG path of an area chart over `counts`, in a 0..n × 0..100 box (square-root scale). */
export function densityPath(counts: readonly number[]): string {
  const max = Math.max(1, ...counts);
  const n = counts.length;
  // A square root keeps small bumps visible next to one huge spike.
  const y = (c: number) => (100 - 92 * Math.sqrt(c / max)).toFixed(1);
  let d = `M0 100 L0 ${y(counts[0] ?? 0)}`;
  counts.forEach((c, i) => {
    d += ` L${(i + 0.5).toFixed(1)} ${y(c)}`;
  });
  return `${d} L${n} ${y(counts[n - 1] ?? 0)} L${n} 100 Z`;
}

/**
 * The bar drawn behind the seek bar. Decorative for assistive tech (the seek bar
 * itself is the control); clicks go through to the seek bar on top.
 */
export function DensityBar({ counts }: { counts: number[] | null }) {
  if (!counts || counts.length === 0 || counts.every((c) => c === 0)) return null;
  return (
    <svg class="density" data-testid="density-bar" viewBox={`0 0 ${counts.length} 100`} preserveAspectRatio="none" aria-hidden="true">
      <path d={densityPath(counts)} />
    </svg>
  );
}
