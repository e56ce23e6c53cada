import type { Logger } from 'pino';
import type { Redis } from '../redis/redis-client.js';
import type { LotusServer } from './types.js';

// Relayed events are named at run time, so they bypass the typed event map.
type Emitter = { emit(event: string, payload: unknown): boolean };

/** Something that can send an event to everyone in a socket room, from any process. */
export interface RoomBroadcaster {
  toRoom(channel: string, event: string, payload: unknown): Promise<void>;
}

/**
 * Lets processes without sockets (the workers) emit to rooms: they publish on one
 * Redis channel, and every server process re-emits to its own sockets. Messages sent
 * while no server runs are lost, which is fine: state lives in Postgres and clients
 * read it when they join.
 */
export function createRelayEmitter(redis: Redis, channel: string): RoomBroadcaster {
  return {
    async toRoom(room, event, payload) {
      await redis.publish(channel, JSON.stringify({ room, event, payload }));
    },
  };
}

/** The server side of the relay: subscribes and emits to local sockets. */
export async function startRelaySubscriber(io: LotusServer, redis: Redis, channel: string, log: Logger): Promise<() => Promise<void>> {
  const sub = redis.duplicate({ disableOfflineQueue: false });
  sub.on('error', (err: Error) => log.warn({ err: err.message }, 'relay subscriber error'));
  await sub.connect();
  await sub.subscribe(channel, (raw) => {
    try {
      const { room, event, payload } = JSON.parse(raw);
      (io.local.to(room) as unknown as Emitter).emit(event, payload);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'bad relay message dropped');
    }
  });
  return async () => {
    sub.destroy();
  };
}

/** The in-server broadcaster: through the Socket.IO adapter, to every process. */
export function ioBroadcaster(io: LotusServer): RoomBroadcaster {
  return {
    async toRoom(room, event, payload) {
      (io.to(room) as unknown as Emitter).emit(event, payload);
    },
  };
}
