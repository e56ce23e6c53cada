import type { Logger } from 'pino';
import type { Danmaku, DanmakuBatch } from '../../../contracts/danmaku.js';
import type { Redis } from '../../redis/redis-client.js';
import type { LotusServer } from '../../realtime/types.js';
import { createDisplayCap } from './display-cap.js';
import { createFrameWriter } from './frame-writer.js';

export interface FanoutOptions {
  tickMs: number;
  capPerSecond: number;
}

interface Tail {
  lastId: string;
  pending: Danmaku[];
  flushAt: number | null;
  cap: ReturnType<typeof createDisplayCap>;
}

/**
 * Danmaku fan-out of one server process. It tails the Redis stream of every room
 * that has viewers on this process, merges what arrives into one `danmaku:batch`
 * frame per room per tick, applies the room's display cap, and sends the frame to
 * the local sockets only (each process serves its own viewers from the same stream,
 * so order is the stream's order everywhere). Each frame is encoded once and written to
 * every viewer's socket (frame-writer.ts); a viewer that is not reading misses frames
 * instead of queueing them without bound.
 */
export function createFanout(deps: { io: LotusServer; redis: Redis; roomKey: (roomId: string) => string; channel: (roomId: string) => string; log: Logger; now: () => number; options: FanoutOptions }) {
  const { options } = deps;
  const tails = new Map<string, Tail>();
  let reader: Redis | null = null;
  let running = false;
  let timer: NodeJS.Timeout | null = null;

  // A viewer that is not reading misses frames until it catches up (frame-writer.ts).
  const writeFrame = createFrameWriter(deps.io);
  const localViewers = (roomId: string) => deps.io.of('/').adapter.rooms.get(deps.channel(roomId))?.size ?? 0;

  function flushDue() {
    const t = deps.now();
    for (const [roomId, tail] of tails) {
      if (tail.flushAt === null || tail.flushAt > t) continue;
      const items = tail.cap.take(tail.pending);
      tail.pending = [];
      tail.flushAt = null;
      if (items.length) {
        const batch: DanmakuBatch & { seq: string } = { roomId, items, seq: tail.lastId };
        writeFrame(deps.channel(roomId), 'danmaku:batch', batch);
      }
      if (localViewers(roomId) === 0) tails.delete(roomId);
    }
  }

  async function readLoop() {
    let backoff = 50;
    while (running) {
      if (tails.size === 0) {
        await new Promise((r) => setTimeout(r, options.tickMs));
        continue;
      }
      const streams = [...tails].map(([roomId, tail]) => ({ key: deps.roomKey(roomId), id: tail.lastId }));
      try {
        const res = await reader!.xRead(streams, { BLOCK: 250, COUNT: 2000 });
        backoff = 50;
        if (!res) continue;
        for (const stream of res as Array<{ name: string; messages: Array<{ id: string; message: Record<string, string> }> }>) {
          const roomId = stream.name.slice(stream.name.lastIndexOf(':') + 1);
          const tail = tails.get(roomId);
          if (!tail) continue;
          for (const m of stream.messages) {
            tail.pending.push(JSON.parse(m.message.d));
            tail.lastId = m.id;
          }
          if (tail.pending.length && tail.flushAt === null) tail.flushAt = deps.now() + options.tickMs;
        }
      } catch (err) {
        if (!running) break;
        deps.log.warn({ err: (err as Error).message }, 'danmaku fan-out read failed; retrying');
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 2_000);
      }
    }
  }

  return {
    async start() {
      reader = deps.redis.duplicate();
      reader.on('error', (err: Error) => deps.log.warn({ err: err.message }, 'fan-out redis error'));
      await reader.connect();
      running = true;
      void readLoop();
      // Flushes run on their own clock so a slow read never delays a due frame.
      timer = setInterval(flushDue, Math.max(5, Math.floor(options.tickMs / 4)));
      timer.unref();
    },

    /** Starts tailing a room from `fromSeq` (what this viewer already has) if not tailed yet. */
    watch(roomId: string, fromSeq: string | null) {
      if (tails.has(roomId)) return;
      tails.set(roomId, { lastId: fromSeq ?? '0-0', pending: [], flushAt: null, cap: createDisplayCap(options.capPerSecond, deps.now) });
    },

    async stop() {
      running = false;
      if (timer) clearInterval(timer);
      reader?.destroy();
    },
  };
}

export type Fanout = ReturnType<typeof createFanout>;
