import { randomUUID } from 'node:crypto';
import { roomStatusAt, type CreateRoomInput, type Room } from '../../../contracts/rooms.js';
import type { Clock } from '../../deps.js';
import { notFound } from '../../errors.js';
import { createReadCache } from '../../read-cache.js';
import type { Logger } from 'pino';
import type { RoomRow, RoomStore } from './store.js';

/** Premiere rooms and their clock. The server's clock is the only authority on status and position. */
export function createRoomService(deps: { store: RoomStore; clock: Clock; log?: Logger }) {
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

  // Rooms change rarely and are read on every danmaku: a few seconds of caching per
  // process, refreshed in the background while busy, the last reading kept while
  // Postgres is away (read-cache.ts). A room not found is not cached.
  const cache = createReadCache({
    now: clock.now,
    maxAgeMs: 5_000,
    onStale: (_id: string, err: Error) => deps.log?.warn({ err: err.message }, 'room could not be read; the last reading is used'),
    async load(id: string) {
      const row = await store.byId(id);
      if (!row) throw notFound('room');
      return row;
    },
  });

  return {
    /** Like get(), but served from a short per-process cache: for hot paths such as sending danmaku. */
    async getCached(id: string): Promise<Room> {
      return toRoom(await cache.get(id));
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
    /** The premiere's position at `at` (now by default): pass the time an answer also reports, so the two agree. */
    positionOf(room: Room, at = clock.now()): number {
      const elapsed = at - Date.parse(room.startsAt);
      return Math.min(Math.max(elapsed, 0), room.durationMs);
    },
  };
}

export type RoomService = ReturnType<typeof createRoomService>;
