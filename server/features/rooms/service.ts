import { randomUUID } from 'node:crypto';
import { roomStatusAt, type CreateRoomInput, type Room } from '../../../contracts/rooms.js';
import type { Clock } from '../../deps.js';
import { notFound } from '../../errors.js';
import type { RoomRow, RoomStore } from './store.js';

/** Premiere rooms and their clock. The server's clock is the only authority on status and position. */
export function createRoomService(deps: { store: RoomStore; clock: Clock }) {
  const { store, clock } = deps;

  const toRoom = (row: RoomRow): Room => {
    const startsAt = row.startsAt.toISOString();
    return {
      id: row.id,
      title: row.title,
      ip: row.ip,
      videoUrl: row.videoUrl,
      durationMs: row.durationMs,
      startsAt,
      status: roomStatusAt({ startsAt, durationMs: row.durationMs }, clock.now()),
      createdAt: row.createdAt.toISOString(),
    };
  };

  // Rooms change rarely and are read on every danmaku: a few seconds of caching per process.
  const cache = new Map<string, { at: number; row: RoomRow }>();
  const CACHE_MS = 5_000;

  return {
    /** Like get(), but served from a short per-process cache: for hot paths such as sending danmaku. */
    async getCached(id: string): Promise<Room> {
      const hit = cache.get(id);
      if (hit && clock.now() - hit.at < CACHE_MS) return toRoom(hit.row);
      const row = await store.byId(id);
      if (!row) throw notFound('room');
      if (cache.size > 10_000) cache.clear();
      cache.set(id, { at: clock.now(), row });
      return toRoom(row);
    },

    async create(input: CreateRoomInput, createdBy: string): Promise<Room> {
      const row = await store.insert({ id: randomUUID(), ...input, startsAt: new Date(input.startsAt), createdBy });
      return toRoom(row);
    },

    async get(id: string): Promise<Room> {
      const row = await store.byId(id);
      if (!row) throw notFound('room');
      return toRoom(row);
    },

    /** Live rooms first, then upcoming, then replays; each group by start time. */
    async list(): Promise<Room[]> {
      const order = { live: 0, scheduled: 1, ended: 2 } as const;
      const all = (await store.list(500)).map(toRoom);
      return all.sort((a, b) => order[a.status] - order[b.status]);
    },

    /** Where the premiere is now, in ms of media time (0 before the start, the duration after the end). */
    positionOf(room: Room): number {
      const elapsed = clock.now() - Date.parse(room.startsAt);
      return Math.min(Math.max(elapsed, 0), room.durationMs);
    },
  };
}

export type RoomService = ReturnType<typeof createRoomService>;
