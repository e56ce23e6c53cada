import type { Danmaku } from '../../../contracts/danmaku.js';

/**
 * How many danmaku a room may show per second. A token bucket (burst = one second's
 * worth) decides how many of a tick's items go out; when there are more, staff
 * comments go first and the rest are sampled evenly across the tick, so a busy room
 * keeps its shape instead of showing only the first few. Dropped items stay stored
 * and appear in replays.
 */
export function createDisplayCap(perSecond: number, now: () => number) {
  let tokens = perSecond;
  let last = now();

  return {
    take(items: Danmaku[]): Danmaku[] {
      const t = now();
      tokens = Math.min(perSecond, tokens + ((t - last) / 1000) * perSecond);
      last = t;
      const budget = Math.floor(tokens);
      if (items.length <= budget) {
        tokens -= items.length;
        return items;
      }
      tokens -= budget;
      if (budget <= 0) return [];
      const staff = items.filter((d) => d.staff).slice(0, budget);
      const rest = items.filter((d) => !d.staff);
      const room = budget - staff.length;
      const chosen = new Set<Danmaku>(staff);
      for (let i = 0; i < room; i++) chosen.add(rest[Math.floor((i * rest.length) / room)]);
      return items.filter((d) => chosen.has(d)); // keep stream order
    },
  };
}
