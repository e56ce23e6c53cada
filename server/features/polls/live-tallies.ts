import type { Redis } from '../../redis/redis-client.js';

const TOTAL = '_voters';

/**
 * Live tallies in Redis: one hash per poll, incremented after each committed batch of votes, so
 * thousands of viewers can see results move without a COUNT over the vote rows.
 * `poll:update` pushes are limited to one per `windowMs` per poll across all server
 * processes with a Redis lock: whoever takes the lock publishes at the window's end,
 * and that publish includes every vote counted before it.
 */
export function createLiveTallies(deps: { redis: Redis; key: (...p: string[]) => string; windowMs: number }) {
  const hashKey = (pollId: string) => deps.key('poll', pollId, 'tallies');
  const lockKey = (pollId: string) => deps.key('poll', pollId, 'push');

  return {
    /** Counts committed votes (each an account's list of options) in one round trip. */
    async add(pollId: string, votes: string[][]): Promise<void> {
      const perOption = new Map<string, number>();
      for (const optionIds of votes) for (const id of optionIds) perOption.set(id, (perOption.get(id) ?? 0) + 1);
      const multi = deps.redis.multi();
      for (const [id, n] of perOption) multi.hIncrBy(hashKey(pollId), id, n);
      multi.hIncrBy(hashKey(pollId), TOTAL, votes.length);
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
