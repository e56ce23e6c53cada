/**
 * How many events one socket may send: a token bucket per socket, refilled at
 * `perSecond` up to `burst`, checked before anything else looks at an event. A person
 * never comes near it (a fan sends a comment every two seconds at most); a script that
 * loops `room:join` or `danmaku:like` is held to it, instead of turning each event into
 * Redis and Postgres work. Kept in this process's memory: a socket lives on one process.
 */
export function createEventBudget(opts: { perSecond: number; burst: number; now: () => number }) {
  const buckets = new WeakMap<object, { tokens: number; at: number }>();
  return {
    /** Spends one event of `socket`'s budget: 0 when it may go on, else the milliseconds until it may. */
    take(socket: object): number {
      const t = opts.now();
      const b = buckets.get(socket) ?? { tokens: opts.burst, at: t };
      b.tokens = Math.min(opts.burst, b.tokens + ((t - b.at) / 1000) * opts.perSecond);
      b.at = t;
      buckets.set(socket, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - b.tokens) / opts.perSecond) * 1000);
    },
  };
}

export type EventBudget = ReturnType<typeof createEventBudget>;
