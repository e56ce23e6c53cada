import type { Redis } from '../../redis/redis-client.js';

const TOTAL = '_voters';

/**
 * Live tallies in Redis: one hash per poll, incremented after each accepted vote, so
 * thousands of viewers can see results move without a COUNT over the vote rows.
 * `poll:update` pushes are limited to one per `windowMs` per poll across all server
 * processes with a Redis lock: whoever takes the lock publishes at the window's end,
 * and that publish includes every vote counted before it.
 */
export function createLiveTallies(deps: { redis: Redis; key: (...p: string[]) => string; windowMs: number }) {
  const hashKey = (pollId: string) => deps.key('poll', pollId, 'tallies');
  const lockKey = (pollId: string) => deps.key('poll', pollId, 'push');

  return {
    async add(pollId: string, optionIds: string[]): Promise<void> {
      const multi = deps.redis.multi();
      for (const id of optionIds) multi.hIncrBy(hashKey(pollId), id, 1);
      multi.hIncrBy(hashKey(pollId), TOTAL, 1);
      multi.expire(hashKey(pollId), 7 * 86_400);
      await multi.exec();
    },

    async read(pollId: string, optionIds: string[]): Promise<{ tallies: Record<string, number>; total: number }> {
      const raw = await deps.redis.hGetAll(hashKey(pollId));
      const tallies = Object.fromEntries(optionIds.map((id) => [id, Number(raw[id] ?? 0)]));
      return { tallies, total: Number(raw[TOTAL] ?? 0) };
    },

    /** Replaces the live counts with the authoritative ones (at close), so live and final agree. */
    async set(pollId: string, tallies: Record<string, number>, voters: number): Promise<void> {
      await deps.redis.multi().del(hashKey(pollId)).hSet(hashKey(pollId), { ...tallies, [TOTAL]: voters }).expire(hashKey(pollId), 7 * 86_400).exec();
    },

    /** True when this caller should publish at the end of the current window. */
    async claimPush(pollId: string): Promise<boolean> {
      return (await deps.redis.set(lockKey(pollId), '1', { condition: 'NX', expiration: { type: 'PX', value: deps.windowMs } })) === 'OK';
    },
  };
}

export type LiveTallies = ReturnType<typeof createLiveTallies>;
