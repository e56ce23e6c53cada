import type { Logger } from 'pino';
import type { Danmaku, DanmakuBatch } from '../../../contracts/danmaku.js';
import type { Redis } from '../../redis/redis-client.js';
import type { LotusServer } from '../../realtime/types.js';
import { createDisplayCap } from './display-cap.js';
import { createFrameWriter } from './frame-writer.js';
import { parseEntry } from './stream.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

  /** Sends the frame of every room whose tick is over (by `graceMs` or more). */
  function flushDue(graceMs = 0) {
    const t = deps.now();
    for (const [roomId, tail] of tails) {
      if (tail.flushAt === null || tail.flushAt + graceMs > t) continue;
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

  /** Stops tailing rooms whose viewers here have all left and that have no frame waiting. */
  function prune() {
    for (const [roomId, tail] of tails) if (tail.flushAt === null && localViewers(roomId) === 0) tails.delete(roomId);
  }

  /** When the earliest waiting frame is due, or null when none waits. */
  function nextFlushAt(): number | null {
    let at: number | null = null;
    for (const tail of tails.values()) if (tail.flushAt !== null && (at === null || tail.flushAt < at)) at = tail.flushAt;
    return at;
  }

  /** One XREAD over every tailed room; `blockMs` null answers at once with what is there. */
  async function readOnce(blockMs: number | null) {
    const streams = [...tails].map(([roomId, tail]) => ({ key: deps.roomKey(roomId), id: tail.lastId }));
    const res = await reader!.xRead(streams, blockMs === null ? { COUNT: 2000 } : { BLOCK: blockMs, COUNT: 2000 });
    if (!res) return;
    for (const stream of res as Array<{ name: string; messages: Array<{ id: string; message: Record<string, string> }> }>) {
      const roomId = stream.name.slice(stream.name.lastIndexOf(':') + 1);
      const tail = tails.get(roomId);
      if (!tail) continue;
      if (!stream.messages.length) continue;
      // The tick runs from when the first comment reached Redis (its id's milliseconds), not
      // from this read: another room's wait may have delayed the read.
      if (tail.flushAt === null) tail.flushAt = Math.min(deps.now(), Number.parseInt(stream.messages[0].id, 10) || Infinity) + options.tickMs;
      for (const m of stream.messages) {
        tail.lastId = m.id;
        // An entry that is not a danmaku (written by hand, or by another version) is passed
        // over: left in place it would fail this read again and again and silence the room.
        const d = parseEntry(m.message.d);
        if (d) tail.pending.push(d);
        else deps.log.error({ roomId, entry: m.id }, 'unreadable room stream entry skipped');
      }
    }
  }

  /**
   * While no frame waits, one blocking XREAD waits for the first comment; once one
   * does, the loop sleeps until the frame is due and reads once more just before
   * sending it, so everything that arrived in the meantime joins that frame. That is
   * a few reads per frame instead of one per comment (a busy room used to cost a
   * Redis round trip for every danmaku on every server process).
   */
  async function readLoop() {
    let backoff = 50;
    while (running) {
      // A room that went quiet after its last viewer here left would otherwise stay in every XREAD.
      prune();
      if (tails.size === 0) {
        await sleep(options.tickMs);
        continue;
      }
      try {
        const due = nextFlushAt();
        if (due === null) {
          await readOnce(250);
        } else {
          const wait = due - deps.now();
          if (wait > 0) await sleep(wait);
          if (!running) break;
          await readOnce(null);
          flushDue();
        }
        backoff = 50;
      } catch (err) {
        if (!running) break;
        deps.log.warn({ err: (err as Error).message }, 'danmaku fan-out read failed; retrying');
        flushDue(); // what was read before the failure still goes out
        await sleep(backoff);
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
      // Frames go out from the read loop; should a read hang, this sends them half a tick late without it.
      const graceMs = Math.max(5, Math.floor(options.tickMs / 2));
      timer = setInterval(() => flushDue(graceMs), graceMs);
      timer.unref();
    },

    isWatching: (roomId: string) => tails.has(roomId),
    /** How many rooms this process tails (rooms with viewers here, or a frame still to send). */
    tailedRooms: () => tails.size,

    /** Starts tailing a room from `fromSeq` (the stream's end when its first viewer here joined) if not tailed yet. */
    watch(roomId: string, fromSeq: string) {
      if (tails.has(roomId)) return;
      tails.set(roomId, { lastId: fromSeq, pending: [], flushAt: null, cap: createDisplayCap(options.capPerSecond, deps.now) });
    },

    async stop() {
      running = false;
      if (timer) clearInterval(timer);
      reader?.destroy();
    },
  };
}

export type Fanout = ReturnType<typeof createFanout>;
