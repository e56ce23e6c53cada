import type { Redis } from '../../redis/redis-client.js';

/**
 * Who is watching a room, across every server process: one Redis sorted set per room
 * whose members are socket ids scored by their last heartbeat. A process that dies
 * stops refreshing its members, and they age out after `staleMs`.
 */
export function createPresence(deps: { redis: Redis; key: (...p: string[]) => string; now: () => number; staleMs?: number }) {
  const staleMs = deps.staleMs ?? 90_000;
  const setKey = (roomId: string) => deps.key('presence', roomId);
  const local = new Map<string, Set<string>>(); // roomId -> socket ids held by this process

  return {
    async enter(roomId: string, socketId: string) {
      let ids = local.get(roomId);
      if (!ids) local.set(roomId, (ids = new Set()));
      ids.add(socketId);
      await deps.redis.zAdd(setKey(roomId), { score: deps.now(), value: socketId });
    },
    async leave(roomId: string, socketId: string) {
      local.get(roomId)?.delete(socketId);
      await deps.redis.zRem(setKey(roomId), socketId);
    },
    /** Removes a disconnected socket from every room it was in. */
    async leaveAll(socketId: string) {
      for (const [roomId, ids] of local) if (ids.has(socketId)) await this.leave(roomId, socketId);
    },
    async count(roomId: string): Promise<number> {
      await deps.redis.zRemRangeByScore(setKey(roomId), 0, deps.now() - staleMs);
      return deps.redis.zCard(setKey(roomId));
    },
    /** Refreshes this process' members; called on an interval. */
    async heartbeat() {
      const now = deps.now();
      for (const [roomId, ids] of local) {
        if (ids.size === 0) local.delete(roomId);
        else await deps.redis.zAdd(setKey(roomId), [...ids].map((value) => ({ score: now, value })));
      }
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
