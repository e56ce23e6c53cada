import type { Danmaku } from '../../../contracts/danmaku.js';
import type { Redis } from '../../redis/redis-client.js';

/** How many recent danmaku each room's stream keeps for late joiners and reconnects. */
export const ROOM_STREAM_MAXLEN = 20_000;
/** How long the id -> room lookup for likes, reports and hides lives; Postgres answers after that. */
export const META_TTL_S = 2 * 86_400;

export type DanmakuState = 'visible' | 'held' | 'shadow' | 'hidden';

/**
 * The danmaku in a room stream entry's `d` field, or null when it holds none (written by
 * hand, or by another version): readers pass over such an entry rather than fail on it.
 */
export function parseEntry(raw: string | undefined): Danmaku | null {
  try {
    const d = JSON.parse(raw ?? '') as Danmaku | null;
    return d && typeof d === 'object' && typeof d.id === 'string' ? d : null;
  } catch {
    return null;
  }
}

/**
 * The Redis side of danmaku. Every accepted danmaku is appended to the persist
 * stream (read by the workers, who write Postgres) and, when others may see it, to
 * its room's stream (tailed by every server process for fan-out), in the one script
 * that admits it (admit-script.ts), before the sender's ack.
 */
export function createDanmakuStreams(deps: { redis: Redis; key: (...p: string[]) => string }) {
  const { redis, key } = deps;
  const roomKey = (roomId: string) => key('dm', 'room', roomId);
  const persistKey = key('dm', 'persist');
  /** Persist entries the persister could not store (Postgres refused them as data, or they hold no danmaku), set aside with the reason: kept, never dropped. */
  const refusedKey = key('dm', 'persist', 'refused');
  const metaKey = (id: string) => key('dm', 'meta', id);
  const stateKey = (id: string) => key('dm', 'state', id);

  return {
    roomKey,
    persistKey,
    refusedKey,
    stateKey,
    metaKey,

    /** A recent danmaku by id, or null when it is older than the lookup (ask Postgres). */
    async recentById(id: string): Promise<Danmaku | null> {
      const raw = await redis.get(metaKey(id));
      return raw ? (JSON.parse(raw) as Danmaku) : null;
    },

    /** Marks a state change for a danmaku the workers may not have written yet. */
    async markState(id: string, state: DanmakuState): Promise<void> {
      await redis.set(stateKey(id), state, { expiration: { type: 'EX', value: META_TTL_S } });
    },

    async stateOf(id: string): Promise<DanmakuState | null> {
      return (await redis.get(stateKey(id))) as DanmakuState | null;
    },

    /** States recorded in Redis for these ids (null where none), for filtering recent items. */
    async statesOf(ids: string[]): Promise<Array<DanmakuState | null>> {
      if (!ids.length) return [];
      return (await redis.mGet(ids.map(stateKey))) as Array<DanmakuState | null>;
    },

    /** Puts an already-stored danmaku on its room stream (an approved held comment). */
    async publish(d: Danmaku): Promise<string> {
      return redis.xAdd(roomKey(d.roomId), '*', { d: JSON.stringify(d) }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: ROOM_STREAM_MAXLEN } });
    },

    /** The id of the room stream's newest entry ('0-0' when it has none): where tailing it starts. */
    async lastId(roomId: string): Promise<string> {
      const [newest] = await redis.xRevRange(roomKey(roomId), '+', '-', { COUNT: 1 });
      return newest?.id ?? '0-0';
    },

    /** Danmaku of a room after `sinceSeq` (exclusive), oldest first, or the last `count` when no seq is given. */
    async recent(roomId: string, sinceSeq: string | undefined, count: number): Promise<{ items: Danmaku[]; seq: string | null }> {
      const entries = sinceSeq
        ? await redis.xRange(roomKey(roomId), `(${sinceSeq}`, '+', { COUNT: count })
        : (await redis.xRevRange(roomKey(roomId), '+', '-', { COUNT: count })).reverse();
      const items = entries.map((e) => parseEntry(e.message.d)).filter((d): d is Danmaku => d !== null);
      return { items, seq: entries.length ? entries[entries.length - 1].id : (sinceSeq ?? null) };
    },
  };
}

export type DanmakuStreams = ReturnType<typeof createDanmakuStreams>;
