import client from 'prom-client';
import type { Metrics } from '../../metrics.js';
import type { Redis } from '../../redis/redis-client.js';
import type { createDanmakuStreams } from './stream.js';
import type { Fanout } from './fanout.js';

/**
 * Gauges read when Prometheus scrapes. From Redis: accepted danmaku not yet written to
 * Postgres (a persister that falls behind, or is down, shows here first), and entries
 * Postgres refused as data, waiting in the refused stream for a person; a scrape while
 * Redis is away keeps the last readings rather than failing /metrics. From this process:
 * the rooms its fan-out tails.
 */
export function registerDanmakuGauges(metrics: Metrics, redis: Redis, streams: ReturnType<typeof createDanmakuStreams>, fanout: Fanout): void {
  new client.Gauge({
    name: 'lotus_danmaku_rooms_tailed',
    help: "Rooms this process tails for fan-out: rooms with viewers here, or a frame still to send",
    registers: [metrics.registry],
    collect() {
      this.set(fanout.tailedRooms());
    },
  });
  const gauge = (name: string, help: string, key: string) =>
    new client.Gauge({
      name,
      help,
      registers: [metrics.registry],
      async collect() {
        // The app's client fails fast while disconnected; isReady spares even that attempt.
        const length = redis.isReady ? await redis.xLen(key).catch(() => null) : null;
        if (length !== null) this.set(length);
      },
    });
  gauge('lotus_danmaku_persist_backlog', 'Accepted danmaku waiting in the persist stream for the workers to write them to Postgres', streams.persistKey);
  gauge('lotus_danmaku_persist_refused', 'Danmaku Postgres refused as data, set aside in the refused stream for a person to look at', streams.refusedKey);
}
