import type { Deps } from '../../deps.js';
import type { LotusServer } from '../../realtime/types.js';

const VIEWER_COUNT_MS = 10_000;
import { createRoomStore } from './store.js';
import { createRoomService } from './service.js';
import { createRoomRoutes } from './routes.js';
import { roomEvents, type OnRoomJoin } from './events.js';
import { createPresence } from './presence.js';
import { createRoomViews } from './views.js';

export type { RoomService } from './service.js';
export { roomChannel, staffChannel, syncStaffRooms, type OnRoomJoin } from './events.js';
export type { RoomViews } from './views.js';

/** Builds the rooms feature: premieres, their clock, and who is watching. */
export function createRooms(deps: Deps) {
  const service = createRoomService({ store: createRoomStore(deps.db.orm), clock: deps.clock, log: deps.log });
  const presence = createPresence({ redis: deps.redis, key: deps.key, now: deps.clock.now });
  const timer = setInterval(() => presence.heartbeat().catch((err) => deps.log.warn({ err }, 'presence heartbeat failed')), 30_000);
  timer.unref();
  deps.closing.addEventListener('abort', () => clearInterval(timer));
  const onJoin: OnRoomJoin[] = [];
  const views = createRoomViews(deps.db.orm, deps.clock.now);
  /**
   * Every VIEWER_COUNT_MS each process tells its own viewers how many watch in total
   * (when it changed): one read per room and no cross-process broadcast.
   */
  function startViewerCounts(io: LotusServer) {
    const last = new Map<string, number>();
    const tick = async () => {
      for (const [name, sockets] of io.of('/').adapter.rooms) {
        if (!name.startsWith('room:') || sockets.size === 0) continue;
        const roomId = name.slice('room:'.length);
        const viewers = await presence.count(roomId);
        if (last.get(roomId) !== viewers) io.local.to(name).emit('room:viewers', { roomId, viewers });
        last.set(roomId, viewers);
      }
    };
    const t = setInterval(() => void tick().catch((err) => deps.log.warn({ err: (err as Error).message }, 'viewer count failed')), VIEWER_COUNT_MS);
    t.unref();
    deps.closing.addEventListener('abort', () => clearInterval(t));
  }

  return {
    service,
    presence,
    startViewerCounts,
    views,
    /** Hooks other features add to; run on every room:join. */
    onJoin,
    routes: createRoomRoutes(service),
    events: roomEvents({ rooms: service, presence, views, clock: deps.clock, onJoin }),
  };
}
