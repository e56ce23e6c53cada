import type { Danmaku } from '../../../contracts/danmaku.js';

/**
 * How many danmaku a room may show per second. A token bucket (burst = one second's
 * worth) decides how many of a tick's items go out. When there are more, staff
 * comments (moderators', writers' and the studio's: few, and the ones a room must
 * see) always go out, and fans' comments share what is left, sampled evenly across the
 * tick, so a busy room keeps its shape instead of showing only the first few. Dropped
 * items stay stored and appear in replays; their senders have them from their acks.
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
      const staff = items.filter((d) => d.staff);
      const fans = items.filter((d) => !d.staff);
      const room = Math.max(0, budget - staff.length);
      // A burst of staff comments may overdraw the bucket (by a second's worth at most): fans wait for it.
      tokens = Math.max(-perSecond, tokens - staff.length - room);
      const chosen = new Set<Danmaku>(staff);
      for (let i = 0; i < room; i++) chosen.add(fans[Math.floor((i * fans.length) / room)]);
      return items.filter((d) => chosen.has(d)); // keep stream order
    },
  };
}
