/**
 * A per-process cache of what hot paths read from Postgres: a danmaku send needs the
 * room, the room's rules and the global term list, 500 times a second, and none of
 * them changes often.
 *
 * - A value younger than `maxAgeMs` is served at once; from `refreshAfterMs` on, the
 *   read also starts a refresh in the background, so a busy key never waits.
 * - An older value (or none) waits for a fresh reading. Concurrent readers share one
 *   query per key (a thundering herd of identical queries used to exhaust the pool when
 *   the server was busy, and every send then failed UNAVAILABLE).
 * - When that reading fails and an older value exists, the older value is served and
 *   `onStale` is told: the last known rules beat refusing every danmaku while Postgres
 *   is away. With nothing cached the error goes to the caller.
 * - `invalidate` after a local write: the next read waits for the new value, and a
 *   reading that started before the write is not kept.
 */
export interface ReadCacheOptions<K, V> {
  load: (key: K) => Promise<V>;
  now: () => number;
  /** Older than this, a read waits for a fresh value. */
  maxAgeMs: number;
  /** From this age on, a read refreshes in the background (default: half of maxAgeMs). */
  refreshAfterMs?: number;
  /** Keys kept; past it the cache starts over (default 10,000). */
  maxEntries?: number;
  /** A reading failed and an older value was served instead. */
  onStale?: (key: K, err: Error) => void;
}

export interface ReadCache<K, V> {
  get(key: K): Promise<V>;
  invalidate(key: K): void;
}

export function createReadCache<K, V>(opts: ReadCacheOptions<K, V>): ReadCache<K, V> {
  const refreshAfterMs = opts.refreshAfterMs ?? opts.maxAgeMs / 2;
  const maxEntries = opts.maxEntries ?? 10_000;
  const entries = new Map<K, { value: V; at: number }>();
  const inflight = new Map<K, Promise<V>>();
  /** Bumped by every invalidation: a reading that started before one is not stored. */
  let epoch = 0;

  function refresh(key: K): Promise<V> {
    const running = inflight.get(key);
    if (running) return running;
    const started = epoch;
    const at = opts.now();
    const reading = opts
      .load(key)
      .then((value) => {
        if (started === epoch) {
          if (entries.size >= maxEntries && !entries.has(key)) entries.clear();
          entries.set(key, { value, at });
        }
        return value;
      })
      .finally(() => {
        if (inflight.get(key) === reading) inflight.delete(key);
      });
    inflight.set(key, reading);
    return reading;
  }

  function staleOr(key: K, err: unknown): V {
    const stale = entries.get(key);
    if (!stale) throw err;
    opts.onStale?.(key, err as Error);
    return stale.value;
  }

  return {
    async get(key) {
      const hit = entries.get(key);
      const age = hit ? opts.now() - hit.at : Infinity;
      if (hit && age < opts.maxAgeMs) {
        if (age >= refreshAfterMs && !inflight.has(key)) refresh(key).catch((err: Error) => entries.has(key) && opts.onStale?.(key, err));
        return hit.value;
      }
      try {
        return await refresh(key);
      } catch (err) {
        return staleOr(key, err);
      }
    },

    invalidate(key) {
      epoch++;
      entries.delete(key);
      inflight.delete(key);
    },
  };
}
